using Gatehouse.Engine.Configuration;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Hosting;

namespace Gatehouse.Host.Observability;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format, on the admin listener only. Open by default,
/// as Prometheus scrapers expect and as the admin listener is meant to be private; with
/// <c>observability.metricsRequireToken</c> it needs an admin token of any role.
/// </summary>
internal static class MetricsApi
{
    public const string Path = "/metrics";

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder routes, ObservabilitySettings settings)
    {
        var endpoint = routes.MapPrometheusScrapingEndpoint(Path).WithMetadata(new PlaneMetadata(Plane.Admin));
        if (settings.MetricsRequireToken)
        {
            endpoint.WithMetadata(AdminAccess.Read);
        }
        return routes;
    }
}
