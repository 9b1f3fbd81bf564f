using System.Net;
using Gatehouse.Host.DataPlane;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// Failover through the real server: an endpoint that answers 5xx or cannot be reached, before
/// anything has reached the caller, hands the request to the model's next endpoint.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private const string Failover = "failover-claude";
    private const string FailoverOpenAI = "failover-gpt";
    private const string Failing = "failing-claude";

    /// <summary>A loopback port nothing listens on: connections to it are refused at once.</summary>
    private const string Closed = "http://127.0.0.1:1";

    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayInstance.StartAsync(upstream => $$"""
        listeners:
          dataPlane: ["http://127.0.0.1:0"]
          admin: ["http://127.0.0.1:0"]
        {{BundledGeoIp.Section()}}
        models:
          - { id: {{Failover}} }
          - { id: {{FailoverOpenAI}} }
          - { id: {{Failing}} }
        endpoints:
          - { id: eu-1, model: {{Failover}}, provider: anthropic, baseUrl: "{{upstream}}failing", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: eu-2, model: {{Failover}}, provider: anthropic, baseUrl: "{{Closed}}", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: eu-3, model: {{Failover}}, provider: anthropic, baseUrl: "{{upstream}}", region: eu-west, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: gpt-1, model: {{FailoverOpenAI}}, provider: openai, baseUrl: "{{upstream}}failing", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: gpt-2, model: {{FailoverOpenAI}}, provider: openai, baseUrl: "{{upstream}}", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: only, model: {{Failing}}, provider: anthropic, baseUrl: "{{upstream}}failing", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: gone, model: {{Failing}}, provider: anthropic, baseUrl: "{{Closed}}", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
        """);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private GateCalls Calls => new(_gateway, _gateway.Client);

    [Fact]
    public async Task A5xxAndARefusedConnection_HandTheRequestToTheNextEndpoint_AndTheResponseSaysWhichWereTried()
    {
        var answer = await Calls.SendAsync(_gateway.ApiKey, "127.0.0.1", Failover);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("eu-3; tried=eu-1,eu-2", answer.Response.Headers.GetValues(DataPlaneHandler.EndpointHeader).Single());
        Assert.Contains("Hello from", answer.Body.ToJsonString());
    }

    [Fact]
    public async Task FailoverWorks_InTheOpenAIDialectToo()
    {
        var answer = await Calls.SendAsync(_gateway.ApiKey, "127.0.0.1", FailoverOpenAI, openAI: true);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("gpt-2; tried=gpt-1", answer.Response.Headers.GetValues(DataPlaneHandler.EndpointHeader).Single());
    }

    [Fact]
    public async Task WhenEveryEndpointFails_TheLastFailureIsAnswered_NamingThemAll()
    {
        var answer = await Calls.SendAsync(_gateway.ApiKey, "127.0.0.1", Failing);

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Contains("endpoint gone", answer.Message);
        Assert.Contains("Endpoints tried before it: only.", answer.Message);
        Assert.Equal("gone; tried=only", answer.Response.Headers.GetValues(DataPlaneHandler.EndpointHeader).Single());
    }
}
