using Gatehouse.Engine.Usage;
using Gatehouse.Host.Counters;
using StackExchange.Redis;

namespace Gatehouse.Host.Usage;

/// <summary>
/// Shares today's spend with the other nodes through Redis, so that budgets hold across them.
/// The budget check stays a lookup in this node's <see cref="SpendLedger"/>, with no round trip
/// per request; every <see cref="SyncInterval"/> this loop adds what the node spent since to one
/// counter per subject and day, and reads back the totals of the subjects that have budgets. A
/// node therefore learns of another's spend within about one interval, and a budget can be
/// overshot by what the other nodes spend in that time. The loop also keeps asking a Redis that
/// is unreachable, which is how the gateway notices it is back. Without a <c>redis</c> section it
/// does nothing.
/// </summary>
internal sealed partial class SharedSpend(SharedCounters counters, SpendLedger ledger, TimeProvider timeProvider, ILogger<SharedSpend> logger) : BackgroundService
{
    public static readonly TimeSpan SyncInterval = TimeSpan.FromMilliseconds(200);

    // A day's counter outlives the day, so that a request decided just before midnight and pushed after it still lands.
    private static readonly long KeyLifetimeMilliseconds = (long)TimeSpan.FromDays(2).TotalMilliseconds;

    // KEYS[1]: a subject's counter for one day. Raises it to at least ARGV[1] (what this node knew every
    // node had spent: from the store at start, so a day Redis lost or never held is seeded, and never
    // counted twice), adds ARGV[2], keeps it ARGV[3] ms and answers the new total.
    private const string AddScript = """
        local current = redis.call('GET', KEYS[1])
        if not current or tonumber(current) < tonumber(ARGV[1]) then
          redis.call('SET', KEYS[1], ARGV[1])
        end
        local total = redis.call('INCRBY', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return total
        """;

    /// <summary>
    /// At start, after the ledger has taken today's totals from the store: Redis's counters are
    /// raised to at least those totals, and the ledger learns what every node has spent.
    /// </summary>
    public async Task SeedAsync(IEnumerable<(string SubjectId, long Nanodollars)> storeTotals)
    {
        if (!counters.IsConfigured)
        {
            return;
        }
        var today = SpendLedger.DayOf(timeProvider.GetUtcNow());
        await SyncAsync([.. storeTotals.Select(t => new SpendAddition(t.SubjectId, today, t.Nanodollars, 0))]);
    }

    /// <summary>One round: this node's additions pushed, the budgeted subjects' totals read back; false when Redis failed.</summary>
    public Task<bool> SyncAsync() => SyncAsync([]);

    private async Task<bool> SyncAsync(IReadOnlyList<SpendAddition> seeds)
    {
        var database = counters.Database;
        var today = SpendLedger.DayOf(timeProvider.GetUtcNow());
        var pushes = seeds.Concat(ledger.Unpushed()).Select(async addition =>
        {
            var total = (long)await database.ScriptEvaluateAsync(AddScript, [KeyOf(addition.SubjectId, addition.Day)],
                [addition.Known, addition.Nanodollars, KeyLifetimeMilliseconds]);
            ledger.Pushed(addition, total);
        });
        var reads = ledger.Budgets.Select(async budget =>
        {
            if (await database.StringGetAsync(KeyOf(budget.SubjectId, today)) is { IsNull: false } total)
            {
                ledger.Observe(budget.SubjectId, today, (long)total);
            }
        });
        try
        {
            // Each operation is its own command (no multi-key command), so that a Redis Cluster takes them too; the connection pipelines them.
            var operations = pushes.Concat(reads).ToList();
            await Task.WhenAll(operations.Count > 0 ? operations : [database.PingAsync()]);
            counters.Succeeded();
            return true;
        }
        catch (Exception e) when (SharedCounters.IsRedisFailure(e))
        {
            counters.Failed(e);
            return false;
        }
    }

    private static RedisKey KeyOf(string subjectId, DateOnly day) => $"spend:{day:yyyy-MM-dd}:{subjectId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!counters.IsConfigured)
        {
            return;
        }
        using var timer = new PeriodicTimer(SyncInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SyncAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync pushes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (counters.IsConfigured && ledger.Unpushed().Count > 0 && !await SyncAsync())
        {
            LogUnpushedAtStop();
        }
    }

    [LoggerMessage(EventId = 810, Level = LogLevel.Warning, Message = "Stopping with spend that Redis could not take; it reaches Redis from the store when a gateway next starts")]
    private partial void LogUnpushedAtStop();
}
