using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Gatehouse.Engine.Audit;
using Gatehouse.Engine.Observability;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Audit;

/// <summary>The audit log could not commit a record in time; whatever it was for must not take effect.</summary>
internal sealed class AuditUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// This gateway's writer of the hash-chained audit log. Callers queue records and wait for their
/// commit; one loop takes everything queued (up to a batch) and has the store link it onto the
/// chain and commit it in one transaction — group commit, so a thousand waiting requests cost one
/// transaction, not a thousand. The store links under the chain's lock, so the writers of
/// several gateways sharing a database take turns on one chain. A batch that fails fails every
/// record in it: the callers refuse rather than act unrecorded.
/// </summary>
internal sealed partial class AuditWriter(IAuditLogStore store, ConfigurationState configuration, GatehouseMetrics metrics, ILogger<AuditWriter> logger) : IHostedService
{
    public const string HeadFileName = "audit-head";
    private const int MaxBatch = 1024;
    private static readonly TimeSpan HeadFileInterval = TimeSpan.FromMilliseconds(200);

    private sealed record Pending(AuditRecord Draft, long? DropThrough)
    {
        public TaskCompletionSource<AuditRecord> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    // Not declared single-reader, though it has one: only the general unbounded channel can count its items.
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private AuditRecord? _last;
    private IAuditAppender? _appender;
    private Engine.Configuration.AuditSettings? _appenderSettings;
    private string? _headFile;
    private long _headFileWrittenAt;
    private Task? _loop;

    /// <summary>Records waiting for their commit.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Why the last batch failed, while no batch has succeeded since.</summary>
    public string? Failure { get; private set; }

    /// <summary>The last record this gateway committed: verification checks that the stored chain still holds it.</summary>
    public AuditHead? Head => _last is { } last ? new AuditHead(last.Sequence, last.Hash) : null;

    public bool Enabled => configuration.Current.Audit.Enabled;

    /// <summary>Reads where the chain ends and starts committing; before the listeners open, so the first request finds it ready.</summary>
    public async Task OpenAsync(string headFile, CancellationToken cancellationToken)
    {
        _headFile = headFile;
        _last = await store.LoadLastAuditRecordAsync(cancellationToken);
        if (!Enabled)
        {
            LogDisabled();
        }
        _loop = Task.Run(CommitLoopAsync, CancellationToken.None);
    }

    /// <summary>Commits <paramref name="draft"/> and returns it as linked into the chain.</summary>
    /// <exception cref="AuditUnavailableException">It was not committed within the configured commit timeout, or the store refused it.</exception>
    public Task<AuditRecord> RecordAsync(AuditRecord draft, CancellationToken cancellationToken) =>
        Enabled ? CommitAsync(new Pending(draft, null), cancellationToken) : Task.FromResult(draft);

    /// <summary>Commits the chain's record of each admin change, in order, and waits for all.</summary>
    public Task RecordChangesAsync(IReadOnlyList<Engine.Identity.AuditEntry> changes, CancellationToken cancellationToken) =>
        Enabled ? Task.WhenAll(changes.Select(change => CommitAsync(new Pending(AuditRecords.ForAdminChange(change), null), cancellationToken))) : Task.CompletedTask;

    /// <summary>Drops every record up to <paramref name="last"/> and appends, in the same transaction, the checkpoint that accounts for them.</summary>
    public Task<AuditRecord> DropThroughAsync(AuditRecord last, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        CommitAsync(new Pending(new AuditRecord
        {
            Time = now,
            Kind = AuditRecordKind.Checkpoint,
            Actor = Engine.Identity.AuditEntry.SystemActor,
            Action = "audit.retention",
            DroppedThrough = last.Sequence,
            DroppedHash = Convert.ToHexStringLower(last.Hash),
            Detail = reason,
        }, last.Sequence), cancellationToken);

    private async Task<AuditRecord> CommitAsync(Pending pending, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new AuditUnavailableException("the audit log is closed: the gateway is stopping");
        }
        var timeout = configuration.Current.Audit.CommitTimeout;
        try
        {
            return await pending.Committed.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new AuditUnavailableException($"the record was not committed within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({Failure ?? "the store is slow"})");
        }
    }

    private async Task CommitLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        var drafts = new List<AuditRecord>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            drafts.Clear();
            long? dropThrough = null;
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                drafts.Add(pending.Draft);
                dropThrough = pending.DropThrough ?? dropThrough;
            }
            var started = Stopwatch.GetTimestamp();
            try
            {
                var settings = configuration.Current.Audit;
                using var timeout = new CancellationTokenSource(settings.CommitTimeout);
                var appender = await AppenderAsync(settings, timeout.Token);
                var linked = await appender.AppendAsync(drafts, dropThrough, timeout.Token);
                metrics.RecordAuditCommit(committed: true, started);
                _last = linked[^1];
                Failure = null;
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Committed.TrySetResult(linked[i]);
                }
                WriteHeadFile(force: false);
            }
            catch (Exception e)
            {
                metrics.RecordAuditCommit(committed: false, started);
                Failure = e.Message;
                LogCommitFailed(batch.Count, e);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetException(new AuditUnavailableException($"the audit store did not commit it: {e.Message}", e));
                }
                await CloseAppenderAsync();
            }
        }
        await CloseAppenderAsync();
        WriteHeadFile(force: true);
    }

    /// <summary>The session kept across batches; opened again after a failure (the connection may be what failed) or when the audit settings changed.</summary>
    private async Task<IAuditAppender> AppenderAsync(Engine.Configuration.AuditSettings settings, CancellationToken cancellationToken)
    {
        if (_appender is not null && _appenderSettings != settings)
        {
            await CloseAppenderAsync();
        }
        _appenderSettings = settings;
        return _appender ??= await store.OpenAuditAppenderAsync(settings.FlushToDisk, settings.CommitTimeout, cancellationToken);
    }

    private async Task CloseAppenderAsync()
    {
        if (_appender is { } appender)
        {
            _appender = null;
            await appender.DisposeAsync();
        }
    }

    /// <summary>
    /// The head — the last sequence number and hash committed — kept in a file beside the
    /// database, so that verification can tell a log cut short from one that simply ended.
    /// Written at most every 200 ms while records flow, and on stop.
    /// </summary>
    private void WriteHeadFile(bool force)
    {
        var now = Environment.TickCount64;
        if (_headFile is null || _last is null || (!force && now - _headFileWrittenAt < HeadFileInterval.TotalMilliseconds))
        {
            return;
        }
        _headFileWrittenAt = now;
        try
        {
            AuditHeadFile.Write(_headFile, new AuditHead(_last.Sequence, _last.Hash));
        }
        catch (IOException e)
        {
            LogHeadFileFailed(_headFile, e);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Commits what is queued, then closes: nothing answered goes unrecorded on a clean stop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken);
        }
    }

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "The audit log is switched off (audit.enabled: false): decisions and admin changes are not recorded")]
    private partial void LogDisabled();

    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "The audit log could not commit {Count} records; their requests are refused")]
    private partial void LogCommitFailed(int count, Exception exception);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "The audit head file {Path} could not be written")]
    private partial void LogHeadFileFailed(string path, Exception exception);
}
