using System.Collections.Concurrent;
using System.Text.Json;
using Gatehouse.Engine.Identity;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Counters;
using StackExchange.Redis;

namespace Gatehouse.Host.Identity;

/// <summary>
/// Counts an account's requests for restricted models refused from outside their jurisdictions,
/// within a sliding window. With Redis the count is one sorted set per account (scored by the
/// decision's time, each member the evidence of one denial) that every node adds to, and the one
/// node whose denial reaches the threshold takes the evidence and empties the set, so the account
/// is suspended once; without it, or while it is unreachable, each node counts for itself.
/// </summary>
internal sealed class OutsideDenialCounter(SharedCounters counters, TimeProvider timeProvider)
{
    // KEYS[1]: the account's denials. ARGV: forget those scored at or before [1]; add [5] scored [2];
    // keep the set [3] ms; at [4] members, answer them oldest first and start again from none.
    private const string CountScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[5])
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return {}
        end
        local reached = redis.call('ZRANGE', KEYS[1], 0, -1)
        redis.call('DEL', KEYS[1])
        return reached
        """;

    private readonly ConcurrentDictionary<string, Queue<FlagEvidence>> _local = new(StringComparer.Ordinal);

    /// <summary>Counts one denial; answers the evidence of every denial in the window when this one reaches <paramref name="threshold"/>, else null.</summary>
    public async Task<IReadOnlyList<FlagEvidence>?> CountAsync(string accountId, FlagEvidence denial, int threshold, TimeSpan window)
    {
        var since = timeProvider.GetUtcNow() - window;
        var member = JsonSerializer.Serialize(denial, AdminJsonContext.Default.FlagEvidence);
        if (await counters.EvaluateAsync(CountScript, [$"outside:{accountId}"],
            [since.ToUnixTimeMilliseconds(), denial.Time.ToUnixTimeMilliseconds(), (long)window.TotalMilliseconds, threshold, member]) is { } shared)
        {
            var reached = (RedisResult[])shared!;
            return reached.Length == 0 ? null : [.. reached.Select(m => JsonSerializer.Deserialize((string)m!, AdminJsonContext.Default.FlagEvidence)!)];
        }
        return CountLocally(accountId, denial, threshold, since);
    }

    private FlagEvidence[]? CountLocally(string accountId, FlagEvidence denial, int threshold, DateTimeOffset since)
    {
        var denials = _local.GetOrAdd(accountId, _ => new Queue<FlagEvidence>());
        lock (denials)
        {
            while (denials.TryPeek(out var oldest) && oldest.Time <= since)
            {
                denials.Dequeue();
            }
            denials.Enqueue(denial);
            if (denials.Count < threshold)
            {
                return null;
            }
            FlagEvidence[] reached = [.. denials];
            denials.Clear();
            return reached;
        }
    }
}
