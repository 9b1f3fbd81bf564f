using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Sanctions;

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

    /// <summary>
    /// Stores every record of <paramref name="change"/> — new ones inserted, existing ones (same
    /// id) replaced — and its audit entries, all in one transaction.
    /// </summary>
    /// <exception cref="StoreConflictException">A record refers to one that does not exist (an account's organisation, a key's account).</exception>
    Task SaveAsync(IdentityChange change, CancellationToken cancellationToken);

    /// <summary>Flags with their evidence, newest first.</summary>
    Task<IReadOnlyList<Flag>> LoadFlagsAsync(FlagFilter filter, CancellationToken cancellationToken);

    /// <summary>Every entry listed now (delisted ones are kept in the store, not returned) and every version imported.</summary>
    Task<SanctionsData> LoadSanctionsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new list version, its new and changed entries, its delistings and its audit entry in one transaction.</summary>
    Task SaveSanctionsImportAsync(SanctionsImport import, CancellationToken cancellationToken);

    /// <summary>Every version of a stored policy, oldest first; empty when it was never put.</summary>
    Task<IReadOnlyList<Policy.StoredPolicy>> LoadPolicyVersionsAsync(string policyId, CancellationToken cancellationToken);

    /// <summary>Audit entries, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> LoadAuditAsync(AuditFilter filter, CancellationToken cancellationToken);
}

/// <param name="Id">Only this flag.</param>
/// <param name="AccountId">Only this account's flags.</param>
/// <param name="Open">Only open (true) or only reviewed (false) flags; null for both.</param>
/// <param name="Reason">Only flags raised for this reason code.</param>
public sealed record FlagFilter(string? Id = null, string? AccountId = null, bool? Open = null, string? Reason = null);

/// <param name="TargetId">Only changes to this record.</param>
/// <param name="Limit">At most this many entries.</param>
public sealed record AuditFilter(string? TargetId = null, int Limit = 100);

/// <summary>A write refused because it contradicts what is stored (a missing parent, a duplicate id).</summary>
public sealed class StoreConflictException(string message, Exception? inner = null) : Exception(message, inner);
