using Gatehouse.Engine.Storage;
using Gatehouse.Host.Usage;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// Keeps this gateway's in-memory state in step with changes other gateways commit to the
/// shared store: each announced change marks what it touched, and one loop reads that again
/// (several announcements that arrive while it reads cost one more read, not one each). After
/// every (re)connection of the listener, and every <c>storage.resync</c> in any case, everything
/// is read again, so a missed announcement leaves the gateway stale for that long at most.
/// </summary>
internal sealed partial class StoreChangeListener(
    IStoreChangeFeed feed,
    IdentityState identity,
    SanctionsState sanctions,
    BudgetAdministration budgets,
    ConfigurationState configuration,
    TimeProvider timeProvider,
    ILogger<StoreChangeListener> logger) : BackgroundService
{
    private static readonly int Everything = Enum.GetValues<StoreChange>().Aggregate(0, (all, change) => all | 1 << (int)change);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _marked = new(0, 1);
    private int _stale;
    private readonly Lock _connection = new();
    private DateTimeOffset? _disconnectedSince;

    /// <summary>Since when the listener has been without a connection, or null while it listens.</summary>
    public DateTimeOffset? DisconnectedSince
    {
        get
        {
            lock (_connection)
            {
                return _disconnectedSince;
            }
        }
    }

    public TimeSpan ResyncInterval => configuration.Current.Storage.ResyncInterval;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), ReadAgainAsync(stoppingToken), ResyncAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        SetDisconnected(true);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await feed.ListenAsync(() =>
                {
                    SetDisconnected(false);
                    LogListening();
                    Mark(Everything);
                }, change => Mark(1 << (int)change), stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (SetDisconnected(true))
                {
                    LogListenerLost(e);
                }
                await Delay(RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Records the listener's state; true when it was connected until now.</summary>
    private bool SetDisconnected(bool disconnected)
    {
        lock (_connection)
        {
            var wasConnected = _disconnectedSince is null;
            _disconnectedSince = disconnected ? _disconnectedSince ?? timeProvider.GetUtcNow() : null;
            return wasConnected;
        }
    }

    private async Task ResyncAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Delay(ResyncInterval, stoppingToken);
            Mark(Everything);
        }
    }

    private void Mark(int what)
    {
        if (Interlocked.Or(ref _stale, what) == 0)
        {
            try
            {
                _marked.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: the reader will see this mark with the others.
            }
        }
    }

    private async Task ReadAgainAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await _marked.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var stale = Interlocked.Exchange(ref _stale, 0);
            var failed = 0;
            foreach (var change in Enum.GetValues<StoreChange>())
            {
                var bit = 1 << (int)change;
                if ((stale & bit) != 0 && !await ReadAgainAsync(change, stoppingToken))
                {
                    failed |= bit;
                }
            }
            if (failed != 0)
            {
                await Delay(RetryDelay, stoppingToken);
                Mark(failed);
            }
        }
    }

    /// <summary>Reads one part of the state again; false when it must be tried again.</summary>
    private async Task<bool> ReadAgainAsync(StoreChange change, CancellationToken stoppingToken)
    {
        try
        {
            switch (change)
            {
                case StoreChange.Identity:
                    // False when a change of this gateway's own landed during the read; the next read has both.
                    return await identity.LoadAsync(stoppingToken);
                case StoreChange.Sanctions:
                    await sanctions.LoadAsync(stoppingToken);
                    return true;
                default:
                    await budgets.LoadBudgetsAsync(stoppingToken);
                    return true;
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogReadFailed(Engine.Identity.EnumNames<StoreChange>.Of(change), e);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private async Task Delay(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping; the loops see the token.
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Listening for changes other gateways make to the shared store")]
    private partial void LogListening();

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Lost the connection that listens for other gateways' changes; trying again every second, and reading everything again once back")]
    private partial void LogListenerLost(Exception exception);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Could not read the {Part} state again after a change; trying again in a second")]
    private partial void LogReadFailed(string part, Exception exception);
}
