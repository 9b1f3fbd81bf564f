using Gatehouse.Host.Admin;

namespace Gatehouse.Host.Hosting;

/// <summary><c>/healthz</c> (the process is alive) and <c>/readyz</c> (it can decide and record), on both planes.</summary>
internal static class HealthApi
{
    public static IServiceCollection AddReadinessChecks(this IServiceCollection services, Engine.Configuration.GatewayConfiguration configuration)
    {
        services.AddSingleton<IReadinessCheck, StorageReadinessCheck>();
        services.AddSingleton<IReadinessCheck, ConfigurationReadinessCheck>();
        services.AddSingleton<IReadinessCheck, GeoIpReadinessCheck>();
        services.AddSingleton<IReadinessCheck, SanctionsReadinessCheck>();
        services.AddSingleton<IReadinessCheck, AuditReadinessCheck>();
        if (configuration.Redis is not null)
        {
            services.AddSingleton<IReadinessCheck, RedisReadinessCheck>();
        }
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Text("ok\n"));
        routes.MapGet("/readyz", ReadyAsync);
        return routes;
    }

    private static async Task<IResult> ReadyAsync(IEnumerable<IReadinessCheck> readinessChecks, CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        var ready = true;
        foreach (var check in readinessChecks)
        {
            var result = await check.CheckAsync(cancellationToken);
            ready &= result.Ready;
            checks[check.Name] = result.Detail;
        }
        var view = new ReadinessView(ready ? "ready" : "not_ready", checks);
        return Results.Json(view, AdminJsonContext.Default.ReadinessView, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
