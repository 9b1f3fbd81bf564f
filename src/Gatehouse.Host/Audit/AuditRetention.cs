using Gatehouse.Engine.Storage;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Audit;

/// <summary>
/// Drops audit records older than <c>audit.retention</c>, at start and then every hour. Each drop
/// is committed together with a checkpoint record naming the last record dropped and its hash,
/// so that the records kept still verify from their first one.
/// </summary>
internal sealed partial class AuditRetention(IAuditLogStore store, AuditWriter writer, ConfigurationState configuration, TimeProvider time,
    ILogger<AuditRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await DropExpiredAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRetentionFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>The checkpoint written, or null when nothing was old enough to drop.</returns>
    public async Task<Engine.Audit.AuditRecord?> DropExpiredAsync(CancellationToken cancellationToken)
    {
        var settings = configuration.Current.Audit;
        if (settings.Retention is not { } retention || !settings.Enabled)
        {
            return null;
        }
        var cutoff = time.GetUtcNow() - retention;
        if (await store.LoadLastAuditRecordBeforeAsync(cutoff, cancellationToken) is not { } last)
        {
            return null;
        }
        var checkpoint = await writer.DropThroughAsync(last,
            $"retention {Engine.Configuration.Duration.Format(retention)}: records up to {last.Sequence}, written before {cutoff:u}", time.GetUtcNow(), cancellationToken);
        LogDropped(last.Sequence, checkpoint.Sequence);
        return checkpoint;
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Audit retention dropped the records up to {Last}; checkpoint {Checkpoint} accounts for them")]
    private partial void LogDropped(long last, long checkpoint);

    [LoggerMessage(EventId = 411, Level = LogLevel.Error, Message = "Audit retention failed; it is tried again within the hour")]
    private partial void LogRetentionFailed(Exception exception);
}
