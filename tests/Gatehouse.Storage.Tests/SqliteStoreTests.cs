using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;
using Gatehouse.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Tests;

public sealed class SqliteStoreTests : GatehouseStoreContract, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gatehouse-storage-tests", Guid.NewGuid().ToString("n"));

    private string DatabasePath => Path.Combine(_directory, "nested", "gatehouse.db");

    protected override Task<IGatehouseStore> CreateStoreAsync() => Task.FromResult<IGatehouseStore>(new SqliteStore(DatabasePath));

    [Fact]
    public async Task Migrate_CreatesTheFolderAndUsesWal()
    {
        await new SqliteStore(DatabasePath).MigrateAsync(CancellationToken.None);

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal(8L, Scalar("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_DatabaseFromANewerBuild_IsRefused()
    {
        await new SqliteStore(DatabasePath).MigrateAsync(CancellationToken.None);
        Scalar("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'now')");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteStore(DatabasePath).MigrateAsync(CancellationToken.None));

        Assert.Contains("newer than this build knows", e.Message);
    }

    [Fact]
    public async Task Migrate_DatabaseOfTheFirstVersion_KeepsItsRecords_ActiveAndUnverified()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        Scalar(SqliteMigrations.All[0].Sql + """
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
            INSERT INTO schema_migrations VALUES (1, 'identity', '2026-11-01T00:00:00Z');
            INSERT INTO organizations VALUES ('org_1', 'Acme', '2026-11-01T00:00:00.0000000Z');
            INSERT INTO accounts VALUES ('acc_1', 'org_1', 'Jo', NULL, '2026-11-01T00:00:00.0000000Z');
            INSERT INTO api_keys VALUES ('gh_1', 'acc_1', 'old', x'00', '2026-11-01T00:00:00.0000000Z');
            """);

        var store = new SqliteStore(DatabasePath);
        await store.MigrateAsync(CancellationToken.None);
        var data = await store.LoadIdentityAsync(CancellationToken.None);

        var account = Assert.Single(data.Accounts);
        Assert.Equal((AccountStatus.Active, VerificationStatus.Unverified, (BillingAddress?)null), (account.Status, account.Kyc.Verification, account.Kyc.Billing));
        var key = Assert.Single(data.ApiKeys);
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null, 0), (key.ExpiresAt, key.RevokedAt, key.AllowedNetworks.Networks.Count));
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
