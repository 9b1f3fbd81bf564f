using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

public sealed class UpstreamTimeoutTests
{
    [Fact]
    public async Task Messages_SilentUpstream_Is504InAnthropicDialect()
    {
        await using var gateway = await GatewayInstance.StartAsync(upstream => $"""
            listeners:
              dataPlane: ["http://127.0.0.1:0"]
              admin: ["http://127.0.0.1:0"]
            storage:
              path: gatehouse.db
            upstream:
              activityTimeout: 300ms
            models:
              - id: slow-model
            endpoints:
              - id: silent
                model: slow-model
                provider: anthropic
                baseUrl: {upstream}silent
                region: local
            """);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"slow-model","max_tokens":8,"messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", gateway.ApiKey);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("timeout_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("did not answer in time", body["error"]!["message"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("request-id"));
    }
}
