using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.Admin;

public sealed class AdminApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayInstance Gateway => fixture.Gateway;

    [Fact]
    public async Task AdminApi_OnDataPlanePort_IsNotReachable()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/organizations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Gateway.AdminToken);
        using var response = await Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DataPlane_OnAdminPort_IsNotReachable()
    {
        using var client = new HttpClient { BaseAddress = Gateway.AdminUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("""{"model":"open-claude"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", Gateway.ApiKey);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(Gateway.Upstream.Received, r => r.Headers.GetValueOrDefault("x-api-key") == Gateway.ApiKey);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gha_aaaaaaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task AdminApi_WithoutValidToken_Is401(string? token)
    {
        using var client = new HttpClient { BaseAddress = Gateway.AdminUrl };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await client.GetAsync("/admin/v1/organizations");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AdminApi_WithDataPlaneKey_Is401()
    {
        using var client = new HttpClient { BaseAddress = Gateway.AdminUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Gateway.ApiKey);
        using var response = await client.GetAsync("/admin/v1/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Keys_List_NeverContainsSecrets()
    {
        var text = await Gateway.Admin.GetStringAsync("/admin/v1/keys");

        Assert.Contains(Gateway.ApiKeyId, text);
        Assert.DoesNotContain(Gateway.ApiKey, text);
    }

    [Fact]
    public async Task Keys_CreatedKey_WorksOnTheNextRequest()
    {
        using var created = await Gateway.Admin.PostAsJsonAsync("/admin/v1/keys", new CreateApiKeyRequest(Gateway.AccountId, "second"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync(AdminJsonContext.Default.CreatedApiKey))!;
        Assert.StartsWith(key.Id + "_", key.Key);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        using var response = await Gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Accounts_CreateInMissingOrganization_Is404Problem()
    {
        using var response = await Gateway.Admin.PostAsJsonAsync("/admin/v1/accounts", GatewayInstance.UsAccount("org_missing", "x"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Organizations_CreateWithoutName_Is400NamingTheField()
    {
        using var response = await Gateway.Admin.PostAsJsonAsync("/admin/v1/organizations", new CreateOrganizationRequest(" "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Explain_GivesTheSameDecisionAsLiveTraffic()
    {
        using var live = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("""{"model":"mythos-5","messages":[]}""", Encoding.UTF8, "application/json") };
        live.Headers.Add("x-api-key", Gateway.ApiKey);
        using var liveResponse = await Gateway.Client.SendAsync(live);

        using var explained = await Gateway.Admin.PostAsJsonAsync("/admin/v1/decisions/explain",
            new ExplainRequest("127.0.0.1", Gateway.ApiKeyId, null, "mythos-5", "anthropic"));
        var decision = (await explained.Content.ReadFromJsonAsync(AdminJsonContext.Default.DecisionView))!;

        Assert.Equal($"{decision.ReasonCode};", liveResponse.Headers.GetValues("gatehouse-decision").Single().Split(' ')[0]);
        Assert.Equal((int)liveResponse.StatusCode, decision.Status);
        Assert.Equal("deny", decision.Effect);
        Assert.Equal(["identity.key", "identity.account", "budget.daily", "model.resolve", "geo.locate", "geo.jurisdiction"], decision.Trace.Select(t => t.Rule));
        Assert.Contains(decision.Message, await liveResponse.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Explain_AllowedModel_NamesTheEndpoint()
    {
        using var response = await Gateway.Admin.PostAsJsonAsync("/admin/v1/decisions/explain",
            new ExplainRequest("203.0.113.9", null, Gateway.AccountId, GatewayFixture.AnthropicAlias, null));
        var decision = (await response.Content.ReadFromJsonAsync(AdminJsonContext.Default.DecisionView))!;

        Assert.Equal("allow", decision.Effect);
        Assert.Equal("claude-local", decision.Endpoint);
        Assert.Equal(GatewayFixture.AnthropicModel, decision.Model);
    }

    [Fact]
    public async Task Explain_BadIp_Is400()
    {
        using var response = await Gateway.Admin.PostAsJsonAsync("/admin/v1/decisions/explain", new ExplainRequest("999.1.1.1", null, null, "mythos-5", null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Health_BothPlanes_Answer()
    {
        Assert.Equal("ok\n", await Gateway.Client.GetStringAsync("/healthz"));
        using var ready = await Gateway.Admin.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var view = (await ready.Content.ReadFromJsonAsync(AdminJsonContext.Default.ReadinessView))!;
        Assert.Equal("ready", view.Status);
        Assert.StartsWith("ok", view.Checks["geoip"]);
    }
}
