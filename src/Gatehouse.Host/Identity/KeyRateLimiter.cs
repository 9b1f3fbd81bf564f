using System.Threading.RateLimiting;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Models;
using Gatehouse.Host.DataPlane;

namespace Gatehouse.Host.Identity;

/// <summary>
/// Per-key request limits, with ASP.NET Core's rate limiters (System.Threading.RateLimiting): a
/// fixed window per key, sized by the key's own limit. A changed limit starts a new window.
/// </summary>
internal sealed class KeyRateLimiter : IDisposable
{
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
        if (key.RateLimit is not { } limit)
        {
            return true;
        }
        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return true;
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ApiErrors.WriteAsync(context, dialect, ErrorKind.RateLimited,
            $"The API key {key.Id} is limited to {limit}; try again in {seconds} s.");
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
