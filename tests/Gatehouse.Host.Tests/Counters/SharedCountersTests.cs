using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Gatehouse.Host.Tests.Counters;

/// <summary>
/// Each counter on the real test Redis, kept by two nodes at once (two connections, as two
/// gateway processes would have): the limits hold for the nodes together.
/// </summary>
public sealed class SharedCountersTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = SpendLedger.DayOf(Noon);

    private readonly string _prefix = TestRedis.NewPrefix();
    private readonly FakeTimeProvider _clock = new(Noon);
    private CounterNode _first = null!;
    private CounterNode _second = null!;

    public async Task InitializeAsync()
    {
        _first = await CounterNode.StartAsync(_prefix, _clock);
        _second = await CounterNode.StartAsync(_prefix, _clock);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    private static ApiKeyRecord Key(RateLimit limit) => new($"gh_{Guid.NewGuid():n}"[..19], "acc_1", "k", [], Noon) { RateLimit = limit };

    [Fact]
    public void Connect_ReachableRedis_SharesTheCounters()
    {
        Assert.Equal((CounterSharing.Shared, CounterSharing.Shared), (_first.Counters.Sharing, _second.Counters.Sharing));
        Assert.Null(_first.Counters.CurrentOutage);
    }

    [Fact]
    public async Task RateLimit_TwoNodes_AdmitTheLimitTogether_AndSayWhenTheWindowEnds()
    {
        var limit = new RateLimit(5, TimeSpan.FromMinutes(1));
        var key = Key(limit);

        var answers = new List<TimeSpan?>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await (i % 2 == 0 ? _first : _second).RateLimiter.RetryAfterAsync(key, limit));
        }

        Assert.Equal(5, answers.Count(a => a is null));
        Assert.All(answers.Skip(5), a => Assert.InRange(a!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task RateLimit_ConcurrentRequestsOnBothNodes_AdmitExactlyTheLimit()
    {
        var limit = new RateLimit(20, TimeSpan.FromMinutes(1));
        var key = Key(limit);

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? _first : _second).RateLimiter.RetryAfterAsync(key, limit).AsTask()));

        Assert.Equal(20, answers.Count(a => a is null));
    }

    [Fact]
    public async Task RateLimit_WindowEnds_AdmitsAgain_AndAChangedLimitStartsItsOwnWindow()
    {
        var limit = new RateLimit(1, TimeSpan.FromMilliseconds(300));
        var key = Key(limit);
        Assert.Null(await _first.RateLimiter.RetryAfterAsync(key, limit));
        Assert.NotNull(await _second.RateLimiter.RetryAfterAsync(key, limit));

        var raised = new RateLimit(2, TimeSpan.FromMinutes(1));
        Assert.Null(await _second.RateLimiter.RetryAfterAsync(key, raised));
        await Task.Delay(400);

        Assert.Null(await _second.RateLimiter.RetryAfterAsync(key, limit));
    }

    [Fact]
    public async Task Spend_AddedOnOneNode_IsSeenByTheOthersBudgetCheckAfterASync()
    {
        var budget = new Budget(BudgetScope.Account, "acc_1", Nanodollars.FromDollars(1m), Noon, "gha_1 (admin)");
        _first.Ledger.SetBudgets([budget]);
        _second.Ledger.SetBudgets([budget]);

        _first.Ledger.Add("acc_1", "org_1", Today, Nanodollars.FromDollars(1m));
        Assert.NotNull(_first.Ledger.Exhausted("acc_1", "org_1", Noon));
        Assert.Null(_second.Ledger.Exhausted("acc_1", "org_1", Noon));
        Assert.True(await _first.Spend.SyncAsync());
        Assert.True(await _second.Spend.SyncAsync());

        var exhausted = _second.Ledger.Exhausted("acc_1", "org_1", Noon);
        Assert.Equal(Nanodollars.FromDollars(1m), exhausted?.SpentNanodollars);
        Assert.Equal(Nanodollars.FromDollars(1m), _first.Ledger.SpentToday("acc_1", Noon));
    }

    [Fact]
    public async Task Spend_BothNodesSpendOverSeveralRounds_EachSeesTheSumAndNothingTwice()
    {
        var budgets = new[] { new Budget(BudgetScope.Account, "acc_1", long.MaxValue, Noon, "a"), new Budget(BudgetScope.Organization, "org_1", long.MaxValue, Noon, "a") };
        _first.Ledger.SetBudgets(budgets);
        _second.Ledger.SetBudgets(budgets);

        for (var round = 0; round < 5; round++)
        {
            _first.Ledger.Add("acc_1", "org_1", Today, 300);
            _second.Ledger.Add("acc_1", "org_1", Today, 200);
            _second.Ledger.Add("acc_2", "org_1", Today, 7);
            await Task.WhenAll(_first.Spend.SyncAsync(), _second.Spend.SyncAsync());
        }
        await _first.Spend.SyncAsync();
        await _second.Spend.SyncAsync();

        Assert.Equal((2_500L, 2_535L), (_first.Ledger.SpentToday("acc_1", Noon), _first.Ledger.SpentToday("org_1", Noon)));
        Assert.Equal((2_500L, 2_535L), (_second.Ledger.SpentToday("acc_1", Noon), _second.Ledger.SpentToday("org_1", Noon)));
    }

    /// <summary>Both nodes start on the same store; the day Redis did not hold is seeded from it once, not once per node.</summary>
    [Fact]
    public async Task Seed_FromTheStoreOnEveryNode_CountsTheStoresSpendOnce()
    {
        _first.Ledger.SetBudgets([new Budget(BudgetScope.Account, "acc_1", long.MaxValue, Noon, "a")]);
        _first.Ledger.Observe("acc_1", Today, 1_000);
        _second.Ledger.Observe("acc_1", Today, 1_000);

        await _first.Spend.SeedAsync([("acc_1", 1_000)]);
        await _second.Spend.SeedAsync([("acc_1", 1_000)]);
        _second.Ledger.Add("acc_1", "org_1", Today, 50);
        await _second.Spend.SyncAsync();
        await _first.Spend.SyncAsync();

        Assert.Equal(1_050, _first.Ledger.SpentToday("acc_1", Noon));
        Assert.Equal(1_050L, (long)await RedisAsync(db => db.StringGetAsync($"{_prefix}spend:2026-11-23:acc_1")));
    }

    /// <summary>Redis restarted without persistence: the nodes raise the day again to what they knew, then add.</summary>
    [Fact]
    public async Task Spend_RedisLostTheDay_NodesRaiseItToWhatTheyKnew()
    {
        _second.Ledger.SetBudgets([new Budget(BudgetScope.Account, "acc_1", long.MaxValue, Noon, "a")]);
        _first.Ledger.Add("acc_1", "org_1", Today, 800);
        await _first.Spend.SyncAsync();
        await RedisAsync(db => db.KeyDeleteAsync($"{_prefix}spend:2026-11-23:acc_1"));

        _first.Ledger.Add("acc_1", "org_1", Today, 5);
        await _first.Spend.SyncAsync();
        await _second.Spend.SyncAsync();

        Assert.Equal(805, _second.Ledger.SpentToday("acc_1", Noon));
    }

    [Fact]
    public async Task OutsideDenials_ConcurrentlyOnBothNodes_ReachTheThresholdExactlyOnce_WithEveryDenialAsEvidence()
    {
        var denials = Enumerable.Range(0, 5).Select(i => Evidence($"dec_{i}")).ToList();

        var reached = await Task.WhenAll(denials.Select((d, i) => (i % 2 == 0 ? _first : _second).OutsideDenials.CountAsync("acc_1", d, 5, TimeSpan.FromHours(1))));
        var next = await _first.OutsideDenials.CountAsync("acc_1", Evidence("dec_after"), 5, TimeSpan.FromHours(1));

        var evidence = Assert.Single(reached, r => r is not null)!;
        Assert.Equal(denials.Select(d => d.DecisionId).Order(), evidence.Select(e => e.DecisionId).Order());
        Assert.Equal(denials[0], evidence.Single(e => e.DecisionId == "dec_0"));
        Assert.Null(next);
    }

    [Fact]
    public async Task OutsideDenials_OlderThanTheWindow_AreForgotten()
    {
        var window = TimeSpan.FromHours(1);
        Assert.Null(await _first.OutsideDenials.CountAsync("acc_2", Evidence("dec_1"), 3, window));
        Assert.Null(await _second.OutsideDenials.CountAsync("acc_2", Evidence("dec_2"), 3, window));

        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Null(await _first.OutsideDenials.CountAsync("acc_2", Evidence("dec_3"), 3, window));
        Assert.Null(await _second.OutsideDenials.CountAsync("acc_2", Evidence("dec_4"), 3, window));
        var reached = await _first.OutsideDenials.CountAsync("acc_2", Evidence("dec_5"), 3, window);

        Assert.Equal(["dec_3", "dec_4", "dec_5"], reached!.Select(e => e.DecisionId));
    }

    [Fact]
    public async Task Unreachable_CountsInThisProcess()
    {
        await using var alone = await CounterNode.StartAsync(_prefix, _clock, $"127.0.0.1:{TestRedis.ClosedPort()}");
        var limit = new RateLimit(2, TimeSpan.FromMinutes(1));
        var key = Key(limit);

        var answers = new[] { await alone.RateLimiter.RetryAfterAsync(key, limit), await alone.RateLimiter.RetryAfterAsync(key, limit), await alone.RateLimiter.RetryAfterAsync(key, limit) };
        var suspensions = new[] { await alone.OutsideDenials.CountAsync("acc_1", Evidence("dec_1"), 2, TimeSpan.FromHours(1)), await alone.OutsideDenials.CountAsync("acc_1", Evidence("dec_2"), 2, TimeSpan.FromHours(1)) };

        Assert.Equal(CounterSharing.Unreachable, alone.Counters.Sharing);
        Assert.Equal([true, true, false], answers.Select(a => a is null));
        Assert.Equal([false, true], suspensions.Select(s => s is not null));
        Assert.False(await alone.Spend.SyncAsync());
    }

    private FlagEvidence Evidence(string decisionId) =>
        new(decisionId, _clock.GetUtcNow(), "81.2.69.142", "GB", "residential", 20712, "Andrews & Arnold", "mythos-5", ReasonCodes.GeoCountryRestricted, "mythos-5 is available only to callers in the United States.");

    private static async Task<T> RedisAsync<T>(Func<IDatabase, Task<T>> operation)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(TestRedis.Server);
        return await operation(connection.GetDatabase());
    }
}
