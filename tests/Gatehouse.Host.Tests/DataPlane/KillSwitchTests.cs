using System.Net;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>The kill switch through the real server: one admin call stops a model for everyone, at once, and another brings it back.</summary>
public sealed class KillSwitchTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Order = "Commerce Department order of 2026-11-20: no foreign access.";

    private GatewayInstance Gateway => fixture.Gateway;

    [Fact]
    public async Task DisablingAModel_RefusesItsNextRequest_InBothDialects_WithTheReason_UntilItIsEnabled()
    {
        var calls = new GateCalls(Gateway, Gateway.Client);
        Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(Gateway.ApiKey, "127.0.0.1", GatewayFixture.AnthropicModel)).Status);

        using var disabled = await Gateway.Admin.PostAsJsonAsync($"/admin/v1/models/{GatewayFixture.AnthropicAlias}/disable", new DisableModelRequest(Order));
        var anthropic = await calls.SendAsync(Gateway.ApiKey, "127.0.0.1", GatewayFixture.AnthropicAlias);
        var listed = (await Gateway.Admin.GetFromJsonAsync("/admin/v1/models", AdminJsonContext.Default.ListModelView))!;
        using var models = await Gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { { "x-api-key", Gateway.ApiKey } } });
        var other = await calls.SendAsync(Gateway.ApiKey, "127.0.0.1", GatewayFixture.OpenAIModel, openAI: true);

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "model.disabled"), (anthropic.Status, anthropic.Reason));
        Assert.Contains(Order, anthropic.Message);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        var view = Assert.Single(listed, m => m.Id == GatewayFixture.AnthropicModel);
        Assert.Equal((true, Order), (view.Disabled, view.DisabledReason));
        Assert.DoesNotContain(GatewayFixture.AnthropicModel, await models.Content.ReadAsStringAsync());

        using var enabled = await Gateway.Admin.PostAsJsonAsync($"/admin/v1/models/{GatewayFixture.AnthropicModel}/enable", new CommentRequest("Order lifted."));
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await calls.SendAsync(Gateway.ApiKey, "127.0.0.1", GatewayFixture.AnthropicModel)).Status);
        var audit = (await Gateway.Admin.GetFromJsonAsync($"/admin/v1/audit?targetId={GatewayFixture.AnthropicModel}", AdminJsonContext.Default.ListAuditEntry))!;
        Assert.Equal([("model.enable", "Order lifted."), ("model.disable", Order)], audit.Select(a => (a.Action, a.Comment)));
    }

    [Fact]
    public async Task TheKillSwitch_InOpenAIDialect_SaysModelDisabledInTheErrorCode()
    {
        var calls = new GateCalls(Gateway, Gateway.Client);
        using var disabled = await Gateway.Admin.PostAsJsonAsync($"/admin/v1/models/{GatewayFixture.UnreachableModel}/disable", new DisableModelRequest("Maintenance."));

        var answer = await calls.SendAsync(Gateway.ApiKey, "127.0.0.1", GatewayFixture.UnreachableModel, openAI: true);

        Assert.Equal((HttpStatusCode.Forbidden, "model.disabled"), (answer.Status, (string)answer.Body["error"]!["code"]!));
    }

    [Theory]
    [InlineData("no-such-model", "disable", """{"reason":"x"}""", HttpStatusCode.NotFound)]
    [InlineData(GatewayFixture.OpenAIModel, "disable", """{}""", HttpStatusCode.BadRequest)]
    [InlineData(GatewayFixture.RestrictedModel, "enable", """{"comment":"not disabled"}""", HttpStatusCode.Conflict)]
    public async Task BadSwitches_AreRefusedWithTheRightStatus(string model, string action, string body, HttpStatusCode expected)
    {
        using var response = await Gateway.Admin.PostAsync($"/admin/v1/models/{model}/{action}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
    }
}
