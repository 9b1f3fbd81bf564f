using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Storage;
using Gatehouse.Host.Admin;

namespace Gatehouse.Host.Hosting;

/// <summary><c>/healthz</c> (the process is alive) and <c>/readyz</c> (it can decide and record), on both planes.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Text("ok\n"));
        routes.MapGet("/readyz", ReadyAsync);
        return routes;
    }

    private static async Task<IResult> ReadyAsync(IGatehouseStore store, ConfigurationState configuration, GeoIpState geo, SanctionsState sanctions, CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        var ready = true;
        try
        {
            await store.CheckWritableAsync(cancellationToken);
            checks["storage"] = $"ok: {store.Description} is writable";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ready = false;
            checks["storage"] = $"failing: {store.Description} does not accept writes: {e.Message}";
        }
        checks["configuration"] = configuration.LastReloadError is { } error
            ? $"stale: the file on disk was rejected and the previous version is in force: {error}"
            : $"ok: {configuration.Current.SourcePath}";
        var (geoReady, geoCheck) = GeoIpCheck(geo, configuration.Current);
        ready &= geoReady;
        checks["geoip"] = geoCheck;
        checks["sanctions"] = SanctionsCheck(sanctions);
        var view = new ReadinessView(ready ? "ready" : "not_ready", checks);
        return Results.Json(view, AdminJsonContext.Default.ReadinessView, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// Ready either way: a gateway for open-weight models may have no reason to screen. But with no
    /// list imported nobody is screened, and an operator must not mistake that for nobody matching.
    /// </summary>
    private static string SanctionsCheck(SanctionsState sanctions)
    {
        var current = sanctions.Data.InForce.ToList();
        return current.Count == 0
            ? "warning: no sanctions list has been imported, so names are not screened (gatehouse sanctions import)"
            : "ok: " + string.Join(", ", current.Select(v => $"{v.Source} {v.EntryCount} entries imported {v.ImportedAt:u}"));
    }

    private static (bool Ready, string Text) GeoIpCheck(GeoIpState geo, GatewayConfiguration configuration)
    {
        const string FailClosed = "every caller's location is unknown, so restricted models are refused and embargoes cannot be applied";
        var current = geo.Current;
        if (configuration.Geo.Sources.IsEmpty)
        {
            return (false, $"not configured: no GeoIP database is configured (geo.databases); {FailClosed}");
        }
        if (current.LoadedAt is null)
        {
            return (false, $"not loaded: {geo.Problem ?? "the data is still loading"}; {FailClosed}");
        }
        if (!current.Data.HasCountries)
        {
            return (false, $"no countries: none of the configured sources places addresses in countries; {FailClosed}");
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
        return (true, text);
    }
}
