using System.Threading.RateLimiting;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Host.Counters;
using Gatehouse.Host.DataPlane;
using StackExchange.Redis;

namespace Gatehouse.Host.Identity;

/// <summary>
/// Per-key request limits: a fixed window per key, sized by the key's own limit; a changed limit
/// starts a new window. With Redis the window is one counter there, so the limit holds across
/// every node together; without it, or while it is unreachable, ASP.NET Core's rate limiters
/// (System.Threading.RateLimiting) count in this process.
/// </summary>
internal sealed class KeyRateLimiter(SharedCounters counters) : IDisposable
{
    // KEYS[1]: the key's window; ARGV[1]: the window in milliseconds, which starts with its first request.
    private const string CountScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return {count, redis.call('PTTL', KEYS[1])}
        """;

    private readonly PartitionedRateLimiter<ApiKeyRecord> _limiter = PartitionedRateLimiter.Create<ApiKeyRecord, (string, RateLimit)>(key =>
        RateLimitPartition.GetFixedWindowLimiter((key.Id, key.RateLimit!), partition => new FixedWindowRateLimiterOptions
        {
            PermitLimit = partition.Item2.Requests,
            Window = partition.Item2.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>True when the request may go on; otherwise answers 429 with <c>retry-after</c> in the caller's dialect.</summary>
    public async ValueTask<bool> AdmitAsync(HttpContext context, ApiDialect dialect, ApiKeyRecord key)
    {
        if (key.RateLimit is not { } limit || await RetryAfterAsync(key, limit) is not { } retryAfter)
        {
            return true;
        }
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ApiErrors.WriteAsync(context, dialect, ErrorKind.RateLimited,
            $"The API key {key.Id} is limited to {limit}; try again in {seconds} s.");
        return false;
    }

    /// <summary>Counts one request against the key's window: null when it is within the limit, else how long until the window ends.</summary>
    public async ValueTask<TimeSpan?> RetryAfterAsync(ApiKeyRecord key, RateLimit limit)
    {
        var window = (long)limit.Window.TotalMilliseconds;
        if (await counters.EvaluateAsync(CountScript, [$"rate:{key.Id}:{limit.Requests}:{window}"], [window]) is { } shared)
        {
            var answer = (RedisResult[])shared!;
            return (long)answer[0] <= limit.Requests ? null : TimeSpan.FromMilliseconds(Math.Max(0, (long)answer[1]));
        }
        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit.Window;
    }

    public void Dispose() => _limiter.Dispose();
}
