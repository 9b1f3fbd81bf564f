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

    private static async Task<IResult> ReadyAsync(IGatehouseStore store, ConfigurationState configuration, CancellationToken cancellationToken)
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
        checks["geoip"] = "not loaded: no GeoIP database is configured, so every caller's location is unknown: models limited to jurisdictions are refused, and denied-jurisdiction lists cannot be applied";
        var view = new ReadinessView(ready ? "ready" : "not_ready", checks);
        return Results.Json(view, AdminJsonContext.Default.ReadinessView, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
