using System.Runtime.InteropServices;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Usage;

namespace Gatehouse.Host.Usage;

/// <summary>
/// Counts each served request: its cost goes into the in-memory spend at once (so the next
/// request is judged against it), and its tokens into a table of pending sums per day, account,
/// organisation and model that is written to the store in one transaction about once a second,
/// when the usage API is asked, and when the gateway stops. Summing before writing keeps both the
/// memory and the write proportional to the callers and models in use, not to the requests.
/// </summary>
internal sealed partial class UsageRecorder(IUsageStore store, SpendLedger ledger, TimeProvider timeProvider, ILogger<UsageRecorder> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _pendingLock = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private Dictionary<UsageKey, UsageAmount> _pending = [];

    /// <summary>Counts a request the decision allowed and an upstream answered with success; <paramref name="parser"/> has read the whole response.</summary>
    public void Record(Decision decision, UsageParser parser)
    {
        var principal = decision.Principal!;
        var model = decision.Model!;
        var usage = parser.Usage;
        parser.Dispose();
        var cost = usage is { } used && model.Price is { } price ? price.CostOf(used) : 0;
        var day = SpendLedger.DayOf(decision.Time);
        var amount = new UsageAmount(1, usage is null ? 1 : 0, usage?.InputTokens ?? 0, usage?.OutputTokens ?? 0, cost);
        ledger.Add(principal.Account.Id, principal.Organization.Id, day, cost);
        var key = new UsageKey(day, principal.Account.Id, principal.Organization.Id, model.Id);
        lock (_pendingLock)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_pending, key, out _) += amount;
        }
    }

    /// <summary>Writes what is pending. On failure the sums stay pending for the next attempt, and false is returned.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            Dictionary<UsageKey, UsageAmount> batch;
            lock (_pendingLock)
            {
                if (_pending.Count == 0)
                {
                    return true;
                }
                batch = _pending;
                _pending = [];
            }
            try
            {
                await store.AddUsageAsync(batch, cancellationToken);
                return true;
            }
            catch (Exception e)
            {
                LogFlushFailed(batch.Count, e);
                lock (_pendingLock)
                {
                    foreach (var (key, amount) in batch)
                    {
                        CollectionsMarshal.GetValueRefOrAddDefault(_pending, key, out _) += amount;
                    }
                }
                return false;
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Writing usage ({Groups} sums) failed; it stays pending and is tried again")]
    private partial void LogFlushFailed(int groups, Exception exception);
}
