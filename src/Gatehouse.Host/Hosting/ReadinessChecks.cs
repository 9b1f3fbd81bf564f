using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Audit;
using Gatehouse.Host.Counters;

namespace Gatehouse.Host.Hosting;

/// <summary>
/// One line of <c>/readyz</c>. Register an implementation as <c>IReadinessCheck</c> and it is
/// asked at every probe, in registration order; the gateway is ready when every check is.
/// </summary>
internal interface IReadinessCheck
{
    /// <summary>The key of the check in the <c>/readyz</c> answer, e.g. <c>storage</c>.</summary>
    string Name { get; }

    /// <summary>Answers within a probe's patience (a few seconds); a detail says why when not ready.</summary>
    ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}

/// <param name="Detail">Starts with the state (<c>ok</c>, <c>stale</c>, <c>warning</c>, <c>failing</c>, …), then the reason.</param>
internal readonly record struct ReadinessResult(bool Ready, string Detail);

/// <summary>The store takes its write lock now, within a few seconds.</summary>
internal sealed class StorageReadinessCheck(IGatehouseStore store) : IReadinessCheck
{
    public string Name => "storage";

    public async ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckWritableAsync(cancellationToken);
            return new(true, $"ok: {store.Description} is writable");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new(false, $"failing: {store.Description} does not accept writes: {e.Message}");
        }
    }
}

/// <summary>
/// Ready while a valid configuration is in force, which is always (an invalid file is never
/// loaded); says when the file on disk was rejected, and which endpoints lack their upstream key.
/// </summary>
internal sealed class ConfigurationReadinessCheck(ConfigurationState configuration) : IReadinessCheck
{
    public string Name => "configuration";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var current = configuration.Current;
        var text = configuration.LastReloadError is { } error
            ? $"stale: the file on disk was rejected and the previous version is in force: {error}"
            : $"ok: {current.SourcePath}";
        var keyless = current.Models.Endpoints.Where(e => e.IsMissingApiKey).ToList();
        if (keyless.Count > 0)
        {
            text += "; warning: unusable until restarted with their upstream key variable set: " +
                string.Join(", ", keyless.Select(e => $"endpoint {e.Id} ({e.ApiKeyVariable})"));
        }
        return ValueTask.FromResult(new ReadinessResult(true, text));
    }
}

/// <summary>
/// Ready either way: a gateway for open-weight models may have no reason to screen. But with no
/// list imported nobody is screened, and an operator must not mistake that for nobody matching.
/// </summary>
internal sealed class SanctionsReadinessCheck(SanctionsState sanctions) : IReadinessCheck
{
    public string Name => "sanctions";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var current = sanctions.Data.InForce.ToList();
        return ValueTask.FromResult(new ReadinessResult(true, current.Count == 0
            ? "warning: no sanctions list has been imported, so names are not screened (gatehouse sanctions import)"
            : "ok: " + string.Join(", ", current.Select(v => $"{v.Source} {v.EntryCount} entries imported {v.ImportedAt:u}"))));
    }
}

/// <summary>
/// Not ready without data that places callers in countries, or when a configured file can no
/// longer be read: the data loaded from it keeps deciding, but a restart (or another instance
/// started from the same files) would come up without it and refuse every restricted model.
/// A file that is there but was rejected (corrupt, half-written) is only <c>stale</c>: the
/// previous data decides until a good file replaces it, as a reload is designed to.
/// </summary>
internal sealed class GeoIpReadinessCheck(GeoIpState geo, ConfigurationState configurationState) : IReadinessCheck
{
    private const string FailClosed = "every caller's location is unknown, so restricted models are refused and embargoes cannot be applied";

    public string Name => "geoip";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Check());

    private ReadinessResult Check()
    {
        var configuration = configurationState.Current;
        var current = geo.Current;
        if (configuration.Geo.Sources.IsEmpty)
        {
            return new(false, $"not configured: no GeoIP database is configured (geo.databases); {FailClosed}");
        }
        if (current.LoadedAt is null)
        {
            return new(false, $"not loaded: {geo.Problem ?? "the data is still loading"}; {FailClosed}");
        }
        if (!current.Data.HasCountries)
        {
            return new(false, $"no countries: none of the configured sources places addresses in countries; {FailClosed}");
        }
        var unreadable = configuration.Geo.Sources.Files.Select(Unreadable).OfType<string>().ToList();
        if (unreadable.Count > 0)
        {
            return new(false, $"missing: {string.Join("; ", unreadable)}; the data loaded at {current.LoadedAt:u} still decides, " +
                "but the gateway would start without it: restore the file(s)");
        }
        var text = geo.Problem is { } problem
            ? $"stale: {problem}; the data loaded at {current.LoadedAt:u} stays in force"
            : $"ok: {current.Data.RangeCount} ranges loaded at {current.LoadedAt:u}";
        var regional = configuration.Geo.Embargo
            .Concat(configuration.Models.All.SelectMany(m => m.AllowedJurisdictions.Concat(m.DeniedJurisdictions)))
            .Where(j => j.Regions.Count > 0)
            .DistinctBy(j => j.Key)
            .ToList();
        if (regional.Count > 0 && !current.Data.HasSubdivisions)
        {
            var regions = string.Join(", ", regional.SelectMany(j => j.Regions).Distinct().Order(StringComparer.Ordinal));
            var names = string.Join(", ", regional.Select(j => $"'{j.Key}'"));
            text += $"; warning: {(regional.Count == 1 ? $"jurisdiction {names} names" : $"jurisdictions {names} name")} regions ({regions}) that only a database with subdivisions " +
                "(such as a MaxMind City database) can recognise; none is loaded, so callers there are placed by country only";
        }
        return new(true, text);
    }

    /// <summary>Why <paramref name="path"/> cannot be opened for reading, or null when it can.</summary>
    private static string? Unreadable(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e is FileNotFoundException or DirectoryNotFoundException ? $"{path}: no such file" : $"{path}: cannot be read: {e.Message}";
        }
    }
}

/// <summary>
/// Not ready while the audit log cannot commit: the last batch failed and the store still refuses
/// writes, so every data-plane request is answered 503. Once the store accepts writes again the
/// gateway is ready, as the next commit will succeed; waiting for that commit would keep traffic,
/// and with it the commit, away for good.
/// </summary>
internal sealed class AuditReadinessCheck(AuditWriter audit, IGatehouseStore store) : IReadinessCheck
{
    public string Name => "audit";

    public async ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (!audit.Enabled)
        {
            return new(true, "warning: the audit log is switched off (audit.enabled: false), so decisions and changes are not recorded");
        }
        if (audit.Failure is not { } failure)
        {
            return new(true, audit.Head is { } head ? $"ok: record {head.Sequence} is the last committed" : "ok: nothing recorded yet");
        }
        try
        {
            await store.CheckWritableAsync(cancellationToken);
            return new(true, $"recovering: the last commit failed ({failure}); the store accepts writes again, so the next one should succeed");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new(false, $"failing: the last commit failed ({failure}) and the store still refuses writes ({e.Message}); data-plane requests are answered 503 until a commit succeeds");
        }
    }
}

/// <summary>
/// With a <c>redis</c> section: whether the Redis holding the counters the nodes share answers,
/// and if not, what is done about it. Every node shares the one Redis, so when it is down every
/// node reports the same; the check makes a node unready only under <c>onUnavailable:
/// refuseAll</c>, when it would answer every request 503 anyway. Under <c>refuseRestricted</c>
/// and <c>countLocally</c> the node still serves open models (or everything), and unready nodes
/// would take that down too.
/// </summary>
internal sealed class RedisReadinessCheck(SharedCounters counters) : IReadinessCheck
{
    public string Name => "redis";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (counters.CurrentOutage is not { } outage)
        {
            return ValueTask.FromResult(new ReadinessResult(true, $"ok: {counters.Servers}"));
        }
        var action = counters.OnUnavailable;
        var consequence = action switch
        {
            CountersUnavailableAction.RefuseAll => "every request is refused with counters.unavailable",
            CountersUnavailableAction.CountLocally => "every request is served, with rate limits, budgets and suspension counts kept by this node alone",
            _ => "requests for restricted models are refused with counters.unavailable; open models are served, with rate limits, budgets and suspension counts kept by this node alone",
        };
        return ValueTask.FromResult(new ReadinessResult(action != CountersUnavailableAction.RefuseAll,
            $"unreachable: {counters.Servers} since {outage.Since:u} ({outage.Reason}); {consequence} (onUnavailable: {RedisSettings.NameOf(action)})"));
    }
}

/// <summary>
/// Ready either way, on a store shared with other gateways: without its listener this gateway
/// learns of their changes only at the next periodic read, and an operator should know that.
/// </summary>
internal sealed class StoreChangesReadinessCheck(StoreChangeListener listener) : IReadinessCheck
{
    public string Name => "changes";

    public ValueTask<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var every = Duration.Format(listener.ResyncInterval);
        return ValueTask.FromResult(new ReadinessResult(true, listener.DisconnectedSince is { } since
            ? $"warning: not listening for other gateways' changes since {since:u}; everything is read again every {every}, and at once when the listener is back"
            : $"ok: listening for other gateways' changes; everything is read again every {every} as well"));
    }
}
