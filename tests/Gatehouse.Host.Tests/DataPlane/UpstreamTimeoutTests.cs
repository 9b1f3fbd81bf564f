using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Host.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Host.Tests.DataPlane;

public sealed class UpstreamTimeoutTests
{
    private static string SilentUpstream(Uri upstream, string activityTimeout) => $"""
            listeners:
              dataPlane: ["http://127.0.0.1:0"]
              admin: ["http://127.0.0.1:0"]
            storage:
              path: gatehouse.db
            upstream:
              activityTimeout: {activityTimeout}
            models:
              - id: slow-model
            endpoints:
              - id: silent
                model: slow-model
                provider: anthropic
                baseUrl: {upstream}silent
                region: local
            """;

    private static HttpRequestMessage SlowRequest(GatewayInstance gateway)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"slow-model","max_tokens":8,"messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", gateway.ApiKey);
        return request;
    }

    [Fact]
    public async Task Messages_SilentUpstream_Is504InAnthropicDialect()
    {
        await using var gateway = await GatewayInstance.StartAsync(upstream => SilentUpstream(upstream, "300ms"));
        using var request = SlowRequest(gateway);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("timeout_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("did not answer in time", body["error"]!["message"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("request-id"));
    }

    [Fact]
    public async Task ACallerThatHangsUp_IsNotCountedOrLoggedAsAnUpstreamFailure()
    {
        var capture = new CapturingLoggerProvider();
        await using var gateway = await GatewayInstance.StartAsync(upstream => SilentUpstream(upstream, "30s"), logging: logging =>
        {
            logging.AddProvider(capture);
            logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Debug);
        });
        using var request = SlowRequest(gateway);
        using var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gateway.Client.SendAsync(request, hangUp.Token));

        await Eventually.TrueAsync(() => Task.FromResult(capture.Text().Contains("The caller hung up while endpoint silent was answering")), seconds: 5);
        using var scrape = await gateway.Admin.GetAsync("/metrics");
        var metrics = PrometheusText.Parse(await scrape.Content.ReadAsStringAsync());
        Assert.Equal(1, metrics.ValueOf("gatehouse_upstream_duration_seconds_count", ("endpoint", "silent"), ("status_class", "canceled")));
        Assert.DoesNotContain(metrics.Named("gatehouse_upstream_duration_seconds_count"), s => s.Has(("status_class", "error")));
        Assert.DoesNotContain("Forwarding to endpoint silent failed", capture.Text());
    }
}
