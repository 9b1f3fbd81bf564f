using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Admin;

/// <summary>Creates identity records: stores them, then swaps in a snapshot that has them.</summary>
internal sealed class IdentityAdministration(IGatehouseStore store, IdentityState identityState, TimeProvider timeProvider)
{
    public async Task<Organization> CreateOrganizationAsync(string name, CancellationToken cancellationToken)
    {
        var organization = new Organization(Identifiers.New("org"), name, timeProvider.GetUtcNow());
        await store.AddOrganizationAsync(organization, cancellationToken);
        await identityState.RefreshAsync(cancellationToken);
        return organization;
    }

    public async Task<Account> CreateAccountAsync(string organizationId, string name, string? email, CancellationToken cancellationToken)
    {
        var account = new Account(Identifiers.New("acc"), organizationId, name, email, timeProvider.GetUtcNow());
        await store.AddAccountAsync(account, cancellationToken);
        await identityState.RefreshAsync(cancellationToken);
        return account;
    }

    /// <returns>The stored record and the whole key, which exists nowhere else after this call.</returns>
    public async Task<(ApiKeyRecord Record, string Key)> CreateApiKeyAsync(string accountId, string name, CancellationToken cancellationToken)
    {
        var issued = SecretToken.Issue(SecretToken.ApiKeyKind);
        var record = new ApiKeyRecord(issued.Id, accountId, name, issued.SecretHash, timeProvider.GetUtcNow());
        await store.AddApiKeyAsync(record, cancellationToken);
        await identityState.RefreshAsync(cancellationToken);
        return (record, issued.Token);
    }

    /// <summary>
    /// On first start there is no admin token yet: issue one and write it, readable only by the
    /// owner, to <paramref name="tokenFile"/>. Returns false when tokens already exist.
    /// </summary>
    public async Task<bool> EnsureAdminTokenAsync(string tokenFile, CancellationToken cancellationToken)
    {
        if (identityState.Current.Data.AdminTokens.Count > 0)
        {
            return false;
        }
        var issued = SecretToken.Issue(SecretToken.AdminTokenKind);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(tokenFile))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var writer = new StreamWriter(tokenFile, options))
        {
            await writer.WriteLineAsync(issued.Token.AsMemory(), cancellationToken);
        }
        await store.AddAdminTokenAsync(new AdminTokenRecord(issued.Id, AdminRoles.Admin, "bootstrap", issued.SecretHash, timeProvider.GetUtcNow()), cancellationToken);
        await identityState.RefreshAsync(cancellationToken);
        return true;
    }
}
