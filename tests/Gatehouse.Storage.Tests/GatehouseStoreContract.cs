using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;

namespace Gatehouse.Storage.Tests;

/// <summary>
/// What every storage backend must do. Each backend's test class derives from this and supplies
/// a fresh, empty store; the same tests then run against every real engine.
/// </summary>
public abstract class GatehouseStoreContract
{
    private static readonly DateTimeOffset Time = new(2026, 11, 23, 10, 30, 15, 123, TimeSpan.Zero);

    protected abstract Task<IGatehouseStore> CreateStoreAsync();

    private async Task<IGatehouseStore> MigratedStoreAsync()
    {
        var store = await CreateStoreAsync();
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Migrate_Twice_IsHarmless()
    {
        var store = await MigratedStoreAsync();

        await store.MigrateAsync(CancellationToken.None);

        Assert.Empty((await store.LoadIdentityAsync(CancellationToken.None)).Organizations);
    }

    [Fact]
    public async Task Identity_RoundTrips_AllFields()
    {
        var store = await MigratedStoreAsync();
        var key = SecretToken.Issue(SecretToken.ApiKeyKind);
        var admin = SecretToken.Issue(SecretToken.AdminTokenKind);

        await store.AddOrganizationAsync(new Organization("org_1", "Acme Ltd", Time), CancellationToken.None);
        await store.AddAccountAsync(new Account("acc_1", "org_1", "Jo", "jo@example.com", Time), CancellationToken.None);
        await store.AddAccountAsync(new Account("acc_2", "org_1", "Sam", null, Time.AddSeconds(1)), CancellationToken.None);
        await store.AddApiKeyAsync(new ApiKeyRecord(key.Id, "acc_1", "laptop", key.SecretHash, Time), CancellationToken.None);
        await store.AddAdminTokenAsync(new AdminTokenRecord(admin.Id, AdminRoles.Admin, "bootstrap", admin.SecretHash, Time), CancellationToken.None);
        var data = await store.LoadIdentityAsync(CancellationToken.None);

        Assert.Equal(new Organization("org_1", "Acme Ltd", Time), Assert.Single(data.Organizations));
        Assert.Equal([new Account("acc_1", "org_1", "Jo", "jo@example.com", Time), new Account("acc_2", "org_1", "Sam", null, Time.AddSeconds(1))], data.Accounts);
        var storedKey = Assert.Single(data.ApiKeys);
        Assert.Equal((key.Id, "acc_1", "laptop", Time), (storedKey.Id, storedKey.AccountId, storedKey.Name, storedKey.CreatedAt));
        Assert.Equal(key.SecretHash, storedKey.SecretHash);
        Assert.Equal(admin.SecretHash, Assert.Single(data.AdminTokens).SecretHash);
    }

    [Fact]
    public async Task AddAccount_UnknownOrganization_IsAConflict()
    {
        var store = await MigratedStoreAsync();

        await Assert.ThrowsAsync<StoreConflictException>(() => store.AddAccountAsync(new Account("acc_1", "org_missing", "Jo", null, Time), CancellationToken.None));
    }

    [Fact]
    public async Task AddApiKey_UnknownAccount_IsAConflict()
    {
        var store = await MigratedStoreAsync();
        var key = SecretToken.Issue(SecretToken.ApiKeyKind);

        await Assert.ThrowsAsync<StoreConflictException>(() => store.AddApiKeyAsync(new ApiKeyRecord(key.Id, "acc_missing", "k", key.SecretHash, Time), CancellationToken.None));
    }

    [Fact]
    public async Task AddOrganization_DuplicateId_IsAConflict()
    {
        var store = await MigratedStoreAsync();
        await store.AddOrganizationAsync(new Organization("org_1", "A", Time), CancellationToken.None);

        await Assert.ThrowsAsync<StoreConflictException>(() => store.AddOrganizationAsync(new Organization("org_1", "B", Time), CancellationToken.None));
    }

    [Fact]
    public async Task CheckWritable_OnAHealthyStore_Succeeds()
    {
        var store = await MigratedStoreAsync();

        await store.CheckWritableAsync(CancellationToken.None);
    }
}
