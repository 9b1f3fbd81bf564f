using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Gatehouse.Engine.Observability;
using Gatehouse.Host.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Host.Tests.Observability;

/// <summary>
/// The activities of data-plane requests, caught by a listener on the gateway's source, and their
/// export over OTLP to a stub collector. Other tests run gateways in parallel, so each request
/// here carries its own trace id and only that trace is looked at.
/// </summary>
public sealed class TracingTests : IDisposable
{
    private static readonly string[] Stages = ["account", "budget", "model", "geo", "identity", "routing", "policy"];

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatehouseTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Sends a request as part of a new trace, as a traced client would, and returns the trace's id and the parent span id.</summary>
    /// <param name="propagate">Send the trace context (<c>traceparent</c>); without it the gateway starts the trace.</param>
    private static async Task<(ActivityTraceId Trace, ActivitySpanId Parent, HttpStatusCode Status)> SendTracedAsync(HttpClient client, string key, string from, bool propagate = true)
    {
        var trace = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"restricted","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", key);
        request.Headers.Add("X-Forwarded-For", from);
        if (propagate)
        {
            request.Headers.Add("traceparent", $"00-{trace}-{parent}-01");
        }
        using var response = await client.SendAsync(request);
        return (trace, parent, response.StatusCode);
    }

    private async Task<List<Activity>> TraceAsync(ActivityTraceId trace)
    {
        // The request activity stops after the response is written, a moment after the client has it.
        await Eventually.TrueAsync(() => Task.FromResult(_stopped.Any(a => a.TraceId == trace && a.OperationName == "gatehouse.request")));
        return [.. _stopped.Where(a => a.TraceId == trace)];
    }

    private static IEnumerable<string> TagValues(IEnumerable<Activity> activities) =>
        activities.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(a.DisplayName));

    [Fact]
    public async Task AllowedRequest_IsOneActivityWithAChildPerStageAndPerUpstreamAttempt()
    {
        await using var gateway = await GatewayInstance.StartAsync(u => ObservedGateway.Configuration(u));

        var (trace, parent, status) = await SendTracedAsync(gateway.ViaTrustedProxy, gateway.ApiKey, ObservedGateway.UnitedStates);
        var activities = await TraceAsync(trace);

        Assert.Equal(HttpStatusCode.OK, status);
        var request = Assert.Single(activities, a => a.OperationName == "gatehouse.request");
        // Under the server's own activity for the request, which continued the caller's trace.
        Assert.Equal(parent, request.Parent!.ParentSpanId);
        Assert.Equal("allowed", request.GetTagItem("gatehouse.decision.reason"));
        Assert.Equal("allow", request.GetTagItem("gatehouse.decision.effect"));
        Assert.Equal("restricted", request.GetTagItem("gatehouse.model"));
        Assert.Equal("restricted-us", request.GetTagItem("gatehouse.endpoint"));
        Assert.Equal("US", request.GetTagItem("gatehouse.client.country"));
        Assert.Equal(gateway.ApiKeyId, request.GetTagItem("gatehouse.key_id"));
        Assert.Equal(200, request.GetTagItem("http.response.status_code"));
        Assert.StartsWith("dec_", (string)request.GetTagItem("gatehouse.decision.id")!);

        var stages = activities.Where(a => a.OperationName.StartsWith("gatehouse.stage.", StringComparison.Ordinal)).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(Stages.Select(s => "gatehouse.stage." + s), stages.Select(a => a.OperationName));
        Assert.All(stages, s => Assert.Equal(request.SpanId, s.ParentSpanId));
        Assert.All(stages, s => Assert.Equal("continue", s.GetTagItem("gatehouse.stage.outcome")));

        var upstream = Assert.Single(activities, a => a.OperationName == "gatehouse.upstream");
        Assert.Equal(request.SpanId, upstream.ParentSpanId);
        Assert.Equal(ActivityKind.Client, upstream.Kind);
        Assert.Equal("restricted-us", upstream.GetTagItem("gatehouse.endpoint"));
        Assert.Equal(1, upstream.GetTagItem("gatehouse.upstream.attempt"));
        Assert.Equal(200, upstream.GetTagItem("http.response.status_code"));

        var secret = ObservedGateway.SecretOf(gateway);
        Assert.DoesNotContain(TagValues(activities), v => v.Contains(secret, StringComparison.Ordinal) || v.Contains(GatewayInstance.UpstreamKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeniedRequest_EndsAtTheStageThatDenied_WithItsReason()
    {
        await using var gateway = await GatewayInstance.StartAsync(u => ObservedGateway.Configuration(u));

        var (trace, _, status) = await SendTracedAsync(gateway.ViaTrustedProxy, gateway.ApiKey, ObservedGateway.UnitedKingdom);
        var activities = await TraceAsync(trace);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var request = Assert.Single(activities, a => a.OperationName == "gatehouse.request");
        Assert.Equal("geo.country_restricted", request.GetTagItem("gatehouse.decision.reason"));
        Assert.Equal("deny", request.GetTagItem("gatehouse.decision.effect"));
        Assert.Equal("GB", request.GetTagItem("gatehouse.client.country"));
        Assert.Equal(403, request.GetTagItem("http.response.status_code"));
        var stages = activities.Where(a => a.OperationName.StartsWith("gatehouse.stage.", StringComparison.Ordinal)).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(["gatehouse.stage.account", "gatehouse.stage.budget", "gatehouse.stage.model", "gatehouse.stage.geo"], stages.Select(a => a.OperationName));
        Assert.Equal("deny", stages[^1].GetTagItem("gatehouse.stage.outcome"));
        Assert.Equal("geo.country_restricted", stages[^1].GetTagItem("gatehouse.decision.reason"));
        Assert.DoesNotContain(activities, a => a.OperationName == "gatehouse.upstream");
    }

    [Fact]
    public async Task OtlpEndpoint_Configured_ExportsTheRequestsSpansToTheCollector()
    {
        await using var collector = await StubCollector.StartAsync();
        var gateway = await GatewayInstance.StartAsync(u => ObservedGateway.Configuration(u, $"observability: {{ otlpEndpoint: \"{collector.BaseUrl}\", otlpProtocol: http }}"));
        string secret;
        try
        {
            secret = ObservedGateway.SecretOf(gateway);
            Assert.Equal(HttpStatusCode.OK, (await SendTracedAsync(gateway.ViaTrustedProxy, gateway.ApiKey, ObservedGateway.UnitedStates, propagate: false)).Status);
            using var probe = await gateway.Client.GetAsync("/readyz");
        }
        finally
        {
            // Stopping flushes the batch of spans not yet sent.
            await gateway.DisposeAsync();
        }

        var exports = collector.Received.ToList();
        Assert.NotEmpty(exports);
        Assert.All(exports, e => Assert.Equal(("/v1/traces", "application/x-protobuf"), (e.Path, e.ContentType)));
        // Protobuf keeps strings as UTF-8, so span names and tag values can be found in the bytes.
        var bodies = string.Join("\n", exports.Select(e => Encoding.UTF8.GetString(e.Body)));
        Assert.Contains("gatehouse.request", bodies);
        // The server's span for the request, from the ASP.NET Core instrumentation; probes are left out.
        Assert.Contains("http.route", bodies);
        Assert.Contains("/v1/messages", bodies);
        Assert.DoesNotContain("/readyz", bodies);
        Assert.Contains("gatehouse.stage.policy", bodies);
        Assert.Contains("gatehouse.upstream", bodies);
        Assert.Contains("restricted-us", bodies);
        Assert.DoesNotContain(secret, bodies);
        Assert.DoesNotContain(GatewayInstance.UpstreamKey, bodies);
    }

    /// <summary>An OTLP/HTTP collector that keeps what it is sent.</summary>
    private sealed class StubCollector : IAsyncDisposable
    {
        public sealed record Export(string Path, string? ContentType, byte[] Body);

        private readonly WebApplication _app;

        private StubCollector(WebApplication app) => _app = app;

        public ConcurrentQueue<Export> Received { get; } = new();

        public Uri BaseUrl { get; private set; } = null!;

        public static async Task<StubCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var collector = new StubCollector(app);
            app.MapPost("/{**path}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                collector.Received.Enqueue(new Export(context.Request.Path, context.Request.ContentType, body.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            collector.BaseUrl = new Uri(app.Urls.First());
            return collector;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
