using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Identity;

namespace Gatehouse.Engine.Observability;

/// <summary>
/// Every instrument the gateway reports, on one <see cref="Meter"/> named <see cref="MeterName"/>.
/// Tags are bounded sets only (reason codes, layers, stages, endpoint ids, status classes):
/// never an account, a key or an address, which would make a series per caller.
/// </summary>
/// <remarks>
/// One instance per gateway, so that a process hosting several (the tests) can tell their
/// instruments apart by <see cref="Meter"/> rather than by name.
/// </remarks>
public sealed class GatehouseMetrics : IDisposable
{
    public const string MeterName = "Gatehouse";

    // Seconds. A stage takes microseconds; an upstream call up to minutes of streaming; a
    // commit a few milliseconds unless the disk stalls.
    private static readonly double[] StageBuckets = [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1];
    private static readonly double[] UpstreamBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
    private static readonly double[] CommitBuckets = [0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly TimeProvider _timeProvider;
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Histogram<double> _auditCommitDuration;
    private readonly Counter<long> _redisFailures;
    private readonly Lock _register = new();
    private (string Name, Func<DateTimeOffset?> SwappedAt)[] _snapshots = [];
    private Func<int>? _auditQueueDepth;
    private Func<bool>? _redisReachable;

    public GatehouseMetrics(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        Meter = new Meter(MeterName);
        _decisions = Meter.CreateCounter<long>("gatehouse.decisions", "{decision}",
            "Data-plane requests decided, by effect (allow, deny, substitute), reason code and the layer that decided.");
        _stageDuration = Meter.CreateHistogram("gatehouse.decision.stage.duration", "s", "Time spent in one stage of the decision pipeline.",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = StageBuckets });
        _upstreamDuration = Meter.CreateHistogram("gatehouse.upstream.duration", "s",
            "One attempt at an upstream endpoint, from sending the request to the end of the response (streams included), by endpoint and status class (2xx … 5xx, or error when no response came).",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = UpstreamBuckets });
        _auditCommitDuration = Meter.CreateHistogram("gatehouse.audit.commit.duration", "s",
            "Time to commit one batch of audit records to storage, by outcome (committed, failed).",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        Meter.CreateObservableGauge("gatehouse.audit.queue.depth", ObserveAuditQueue, "{record}", "Audit records waiting to be committed.");
        Meter.CreateObservableGauge("gatehouse.snapshot.age", ObserveSnapshotAges, "s",
            "Time since each in-memory snapshot (configuration, identity, geoip, sanctions) was last loaded or swapped.");
        _redisFailures = Meter.CreateCounter<long>("gatehouse.redis.failures", "{failure}",
            "Operations on the counters shared in Redis that failed or timed out, and connections to it that broke.");
        Meter.CreateObservableGauge("gatehouse.redis.reachable", ObserveRedisReachable, null,
            "1 while the Redis holding the counters the nodes share answers, 0 while it does not; absent without a redis section.");
    }

    public Meter Meter { get; }

    /// <summary>Whether anyone listens to stage timings; when not, the pipeline does not read the clock.</summary>
    public bool TimesStages => _stageDuration.Enabled;

    public void RecordDecision(Decision decision) => _decisions.Add(1,
        new KeyValuePair<string, object?>("effect", EnumNames<DecisionEffect>.Of(decision.Effect)),
        new KeyValuePair<string, object?>("reason", decision.ReasonCode),
        new KeyValuePair<string, object?>("layer", EnumNames<DecisionLayer>.Of(decision.Layer)));

    /// <param name="stage">A tag made once per stage (<c>stage</c> = its name), so recording allocates nothing.</param>
    public void RecordStage(KeyValuePair<string, object?> stage, long startedTimestamp) =>
        _stageDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, stage);

    /// <param name="status">The upstream's HTTP status, or null when no response came (refused, reset, timed out).</param>
    /// <param name="canceledByCaller">The caller hung up first: the attempt says nothing about the upstream's health.</param>
    public void RecordUpstream(string endpointId, int? status, long startedTimestamp, bool canceledByCaller = false) =>
        _upstreamDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("endpoint", endpointId),
            new KeyValuePair<string, object?>("status_class", canceledByCaller ? "canceled" : StatusClass(status)));

    private static string StatusClass(int? status) => status switch
    {
        >= 100 and < 200 => "1xx",
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "error",
    };

    /// <param name="committed">False when the store refused the batch or did not answer in time.</param>
    public void RecordAuditCommit(bool committed, long startedTimestamp) =>
        _auditCommitDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("outcome", committed ? "committed" : "failed"));

    /// <summary>Reports the age of a snapshot as <c>gatehouse.snapshot.age{snapshot=name}</c>; nothing while <paramref name="swappedAt"/> is null.</summary>
    public void ObserveSnapshot(string name, Func<DateTimeOffset?> swappedAt)
    {
        lock (_register)
        {
            Volatile.Write(ref _snapshots, [.. _snapshots, (name, swappedAt)]);
        }
    }

    /// <summary>The gauge <c>gatehouse.audit.queue.depth</c> reads this at each collection.</summary>
    public void ObserveAuditQueueDepth(Func<int> depth) => Volatile.Write(ref _auditQueueDepth, depth);

    public void RecordRedisFailure() => _redisFailures.Add(1);

    /// <summary>The gauge <c>gatehouse.redis.reachable</c> reads this at each collection.</summary>
    public void ObserveRedisReachable(Func<bool> reachable) => Volatile.Write(ref _redisReachable, reachable);

    private IEnumerable<Measurement<int>> ObserveRedisReachable() =>
        Volatile.Read(ref _redisReachable) is { } reachable ? [new Measurement<int>(reachable() ? 1 : 0)] : [];

    private IEnumerable<Measurement<int>> ObserveAuditQueue() =>
        Volatile.Read(ref _auditQueueDepth) is { } depth ? [new Measurement<int>(depth())] : [];

    private IEnumerable<Measurement<double>> ObserveSnapshotAges()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var (name, swappedAt) in Volatile.Read(ref _snapshots))
        {
            if (swappedAt() is { } at)
            {
                yield return new Measurement<double>(Math.Max(0, (now - at).TotalSeconds), new KeyValuePair<string, object?>("snapshot", name));
            }
        }
    }

    public void Dispose() => Meter.Dispose();
}
