using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Storage;

/// <summary>
/// Durable state. Implementations (SQLite now, PostgreSQL later) share one contract and one
/// test suite; callers never see which engine is behind it.
/// </summary>
public interface IGatehouseStore
{
    /// <summary>Where the data lives, for messages (a path, or a server without credentials).</summary>
    string Description { get; }

    /// <summary>Applies pending schema migrations; safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Proves the store accepts writes right now; throws with the reason when it does not.</summary>
    Task CheckWritableAsync(CancellationToken cancellationToken);

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
