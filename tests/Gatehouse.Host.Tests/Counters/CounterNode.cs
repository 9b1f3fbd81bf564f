using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Observability;
using Gatehouse.Engine.Usage;
using Gatehouse.Host.Counters;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Identity;
using Gatehouse.Host.Tests.Support;
using Gatehouse.Host.Usage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Host.Tests.Counters;

/// <summary>
/// One gateway node's counters without the rest of the gateway: its own connection to Redis
/// (a multiplexer of its own), rate limiter, spend ledger and sync, and outside-denial counter.
/// Two of them on one Redis are two nodes.
/// </summary>
internal sealed class CounterNode : IAsyncDisposable
{
    private readonly GatehouseMetrics _metrics;

    private CounterNode(SharedCounters counters, GatehouseMetrics metrics, TimeProvider clock)
    {
        Counters = counters;
        _metrics = metrics;
        RateLimiter = new KeyRateLimiter(counters);
        Ledger = new SpendLedger(shared: true);
        Spend = new SharedSpend(counters, Ledger, clock, NullLogger<SharedSpend>.Instance);
        OutsideDenials = new OutsideDenialCounter(counters, clock);
    }

    public SharedCounters Counters { get; }
    public KeyRateLimiter RateLimiter { get; }
    public SpendLedger Ledger { get; }
    public SharedSpend Spend { get; }
    public OutsideDenialCounter OutsideDenials { get; }

    /// <param name="server">host:port; the test Redis when omitted.</param>
    public static async Task<CounterNode> StartAsync(string prefix, TimeProvider? clock = null, string? server = null)
    {
        clock ??= TimeProvider.System;
        var configuration = ConfigurationLoader.Parse(TestRedis.Section(server ?? TestRedis.Server, prefix), "/tmp/node.yaml", _ => null).Configuration!;
        var metrics = new GatehouseMetrics(clock);
        var counters = new SharedCounters(configuration, GatewayEnvironment.Process, metrics, clock, NullLogger<SharedCounters>.Instance);
        await counters.ConnectAsync();
        return new CounterNode(counters, metrics, clock);
    }

    public async ValueTask DisposeAsync()
    {
        RateLimiter.Dispose();
        Spend.Dispose();
        await Counters.DisposeAsync();
        _metrics.Dispose();
    }
}
