using Gatehouse.Engine.Audit;

namespace Gatehouse.Engine.Storage;

/// <summary>
/// The hash-chained audit log: one chain, whichever gateways write to it. Each gateway's audit
/// writer appends; everyone else reads. Records are never updated; retention drops the oldest and
/// a checkpoint accounts for them.
/// </summary>
public interface IAuditLogStore
{
    /// <summary>The last record written, or null for an empty log.</summary>
    Task<AuditRecord?> LoadLastAuditRecordAsync(CancellationToken cancellationToken);

    /// <summary>The writer's own session: one connection and prepared statements kept for as long as it works.</summary>
    /// <param name="flushToDisk">Whether each commit waits until the disk has it (survives power loss), or only the operating system (survives a crash of the process).</param>
    /// <param name="lockTimeout">How long an append waits for a store that another writer holds before it fails.</param>
    Task<IAuditAppender> OpenAuditAppenderAsync(bool flushToDisk, TimeSpan lockTimeout, CancellationToken cancellationToken);

    /// <summary>Every record in sequence order, read as it is consumed.</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditAsync(CancellationToken cancellationToken);

    /// <summary>The records that pass <paramref name="query"/>, in sequence order, at most its limit.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The last record written before <paramref name="time"/>, for retention.</summary>
    Task<AuditRecord?> LoadLastAuditRecordBeforeAsync(DateTimeOffset time, CancellationToken cancellationToken);
}

public interface IAuditAppender : IAsyncDisposable
{
    /// <summary>
    /// Links <paramref name="drafts"/> onto the end of the stored chain and appends them in one
    /// transaction, which holds the chain's lock from reading its end to committing, so that
    /// appenders of several gateways take turns rather than fork the chain; with
    /// <paramref name="dropThrough"/>, also deletes every record up to that sequence number in it.
    /// </summary>
    /// <returns>The records as linked and committed, in the order given.</returns>
    Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditRecord> drafts, long? dropThrough, CancellationToken cancellationToken);
}

/// <param name="After">Only records after this sequence number: the cursor for the next page.</param>
/// <param name="From">Only records at or after this time.</param>
/// <param name="To">Only records before this time.</param>
public sealed record AuditQuery(
    long After = 0,
    int Limit = 100,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    AuditRecordKind? Kind = null,
    string? AccountId = null,
    string? OrganizationId = null,
    string? Country = null,
    string? ReasonCode = null,
    string? Effect = null);
