using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Observability;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gatehouse.Host.Observability;

/// <summary>Logs, metrics and traces as <c>observability</c> in gatehouse.yaml asks; read at start.</summary>
internal static class Telemetry
{
    public const string ServiceName = "gatehouse";

    // The .NET runtime's own meter: garbage collection, memory, thread pool, CPU.
    private const string RuntimeMeter = "System.Runtime";

    public static WebApplicationBuilder AddGatehouseTelemetry(this WebApplicationBuilder builder, ObservabilitySettings settings, GatehouseMetrics metrics)
    {
        if (settings.LogFormat == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        // The container disposes what a factory made, and with it the meter.
        builder.Services.AddSingleton(_ => metrics);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(meters => meters
                .AddMeter(GatehouseMetrics.MeterName, RuntimeMeter)
                // Listening is by name, process-wide: another gateway in the same process (tests)
                // has a meter of the same name, whose measurements are not this gateway's.
                .AddView(instrument => instrument.Meter.Name == GatehouseMetrics.MeterName && instrument.Meter != metrics.Meter ? MetricStreamConfiguration.Drop : null)
                // Every scrape sees the counts of that instant; a scrape every few seconds costs little.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        if (settings.OtlpEndpoint is { } endpoint)
        {
            telemetry.WithTracing(traces => traces
                // The server span: it continues the caller's trace (traceparent), and without it
                // the request's spans would be children of an unrecorded activity and dropped.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddSource(GatehouseTracing.SourceName)
                .AddOtlpExporter(o =>
                {
                    o.Protocol = settings.OtlpProtocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    // Set in code, the endpoint is used as given: the HTTP transport's signal path is ours to add.
                    o.Endpoint = settings.OtlpProtocol == OtlpProtocol.Grpc ? endpoint : new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/traces");
                }));
        }
        return builder;
    }

    /// <summary>Health checks and scrapes, which arrive every few seconds and say nothing about traffic.</summary>
    private static bool IsProbe(PathString path) => path == "/healthz" || path == "/readyz" || path == MetricsApi.Path;
}
