using System.Net;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.DataPlane;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// Endpoints created through the admin API, through the real server: creating one is the action
/// endpoint:Create under the configured policies, and a created endpoint serves its model.
/// </summary>
public sealed class EndpointCreationTests : IAsyncLifetime
{
    private const string Restricted = "mythos-5";
    private const string Open = "llama-3.1-405b";

    private const string GatewayPolicy = """
        {"Statement":[
          {"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"},
          {"Sid":"NoRestrictedEndpointsInEu","Effect":"Deny","Action":"endpoint:Create","Resource":"endpoint/*",
           "Condition":{"StringEquals":{"gate:ModelClassification":"restricted"},"StringLike":{"gate:RequestedRegion":"eu-*"}}}
        ]}
        """;

    private readonly TemporaryFolder _folder = new();
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync()
    {
        var policy = _folder.Write("gateway.json", GatewayPolicy);
        _gateway = await GatewayInstance.StartAsync(upstream => $$"""
            {{GatewayInstance.BehindTrustedProxy}}
            models:
              - { id: {{Restricted}}, classification: restricted, allowedJurisdictions: [us] }
              - { id: {{Open}} }
            endpoints:
              - { id: mythos-us-east, model: {{Restricted}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
            policies:
              gateway: ["{{policy}}"]
            """);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _folder.Dispose();
    }

    private Task<HttpResponseMessage> CreateAsync(string id, string model, string region) =>
        _gateway.Admin.PostAsJsonAsync("/admin/v1/endpoints", new CreateEndpointRequest(id, model, region, "anthropic", _gateway.Upstream.BaseUrl.ToString(),
            ApiKeyEnv: GatewayInstance.UpstreamKeyVariable));

    [Fact]
    public async Task ARestrictedModelGetsNoEndpointInEuCentral_AnOpenOneDoes_AndServesFromIt()
    {
        using var refused = await CreateAsync("mythos-eu-central", Restricted, "eu-central");
        using var created = await CreateAsync("llama-eu-central", Open, "eu-central");
        var answer = await new GateCalls(_gateway, _gateway.Client).SendAsync(_gateway.ApiKey, "127.0.0.1", Open);
        var endpoints = (await _gateway.Admin.GetFromJsonAsync("/admin/v1/endpoints", AdminJsonContext.Default.ListEndpointView))!;
        var audit = (await _gateway.Admin.GetFromJsonAsync("/admin/v1/audit?targetId=llama-eu-central", AdminJsonContext.Default.ListAuditEntry))!;

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("NoRestrictedEndpointsInEu", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("llama-eu-central", answer.Response.Headers.GetValues(DataPlaneHandler.EndpointHeader).Single());
        Assert.Equal([("mythos-us-east", "configuration"), ("llama-eu-central", "admin")], endpoints.Select(e => (e.Id, e.Source)));
        Assert.Equal("endpoint.create", Assert.Single(audit).Action);
    }

    [Theory]
    [InlineData("mythos-us-east", Restricted, "us-east", HttpStatusCode.Conflict)]
    [InlineData("Bad Id", Open, "eu-central", HttpStatusCode.BadRequest)]
    [InlineData("x", "no-such-model", "eu-central", HttpStatusCode.BadRequest)]
    public async Task BadEndpoints_AreRefused(string id, string model, string region, HttpStatusCode expected)
    {
        using var response = await CreateAsync(id, model, region);

        Assert.Equal(expected, response.StatusCode);
    }
}
