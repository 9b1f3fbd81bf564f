using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Storage;

/// <summary>
/// Durable identity state. Implementations (SQLite now, PostgreSQL later) share one contract
/// and one test suite; callers never see which engine is behind it.
/// </summary>
public interface IIdentityStore
{
    /// <summary>Applies pending schema migrations; safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<IdentityData> LoadIdentityAsync(CancellationToken cancellationToken);

    Task AddOrganizationAsync(Organization organization, CancellationToken cancellationToken);

    /// <exception cref="StoreConflictException">The organisation does not exist.</exception>
    Task AddAccountAsync(Account account, CancellationToken cancellationToken);

    /// <exception cref="StoreConflictException">The account does not exist.</exception>
    Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task AddAdminTokenAsync(AdminTokenRecord token, CancellationToken cancellationToken);
}

/// <summary>A write refused because it contradicts what is stored (a missing parent, a duplicate id).</summary>
public sealed class StoreConflictException(string message, Exception? inner = null) : Exception(message, inner);
