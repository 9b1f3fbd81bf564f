using System.Net;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.DataPlane;
using Gatehouse.Host.Hosting;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// The Layer 3 reference scenario, told in order through one real server, as the README walks
/// through it: a provider serves a restricted model from us-east; a European organisation's
/// policy, attached to it by id, keeps its traffic and its endpoints in the EU; its callers get
/// the open substitute; failover stays inside the allowed region; the kill switch stops a model
/// for everyone.
/// </summary>
public sealed class ReferenceScenarioTests : IAsyncLifetime
{
    private const string Restricted = "mythos-5";
    private const string Open = "llama-3.1-405b";
    private const string UsOnly = "qwen-2.5";
    private const string UnitedStates = "9.9.9.9";
    private const string Germany = "91.0.0.1";   // Deutsche Telekom, residential

    /// <summary>The policy the README's walkthrough attaches, as shipped.</summary>
    private static readonly string EuropeanPolicy = Path.Combine(RepositoryRoot.Path, "examples", "policies", "keep-in-eu.json");

    private GatewayInstance _gateway = null!;
    private GateCalls _calls = null!;

    /// <summary>The endpoints in the order they are tried; the first eu-central one answers 5xx.</summary>
    private static string Configuration(Uri upstream) => $$"""
        {{GatewayInstance.BehindTrustedProxy}}
        identity:
          autoSuspend: { outsideDenials: 0 }
        models:
          - { id: {{Restricted}}, classification: restricted, allowedJurisdictions: [us], substitute: {{Open}} }
          - { id: {{Open}} }
          - { id: {{UsOnly}} }
        endpoints:
          - { id: mythos-us-east, model: {{Restricted}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: llama-us-east, model: {{Open}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: llama-eu-central-1, model: {{Open}}, provider: anthropic, baseUrl: "{{upstream}}failing", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
          - { id: qwen-us-east, model: {{UsOnly}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
        """;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayInstance.StartAsync(Configuration);
        _calls = new GateCalls(_gateway, _gateway.ViaTrustedProxy);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task TheReferenceScenario()
    {
        // A US caller is served the restricted model from us-east.
        var american = await _calls.CallerAsync(organizationName: "Provider Inc");
        var answer = await _calls.SendAsync(american.Key, UnitedStates, Restricted);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("mythos-us-east", EndpointOf(answer));

        // A German organisation opts in to substitutes; its policy is attached to it by id.
        var european = await _calls.CallerAsync(billing: "DE", card: "DE", registered: "DE", organizationName: "Europa GmbH");
        using (var optIn = await _gateway.Admin.PatchAsJsonAsync($"/admin/v1/organizations/{european.OrganizationId}", new UpdateOrganizationRequest(AcceptsSubstitutes: true)))
        {
            optIn.EnsureSuccessStatusCode();
        }
        await AttachPolicyAsync(european.OrganizationId);

        // Under that policy the restricted model gets no endpoint in eu-central; the open one does.
        using var refused = await CreateEndpointAsync("mythos-eu-central", Restricted, european.OrganizationId);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("NoRestrictedModelsInEuCentral", await refused.Content.ReadAsStringAsync());
        using var created = await CreateEndpointAsync("llama-eu-central-2", Open, european.OrganizationId);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // Its traffic stays in eu-central: llama-us-east comes first but is never tried, and the
        // failing eu-central endpoint hands over to the other eu-central one.
        answer = await _calls.SendAsync(european.Key, Germany, Open);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("llama-eu-central-2; tried=llama-eu-central-1", EndpointOf(answer));
        var decision = await ExplainAsync(european, Open);
        Assert.Contains(decision.Trace, t => t.Rule == "policy.invoke" && t.Outcome == "deny" && t.Detail.StartsWith("llama-us-east in us-east"));
        Assert.Equal(["llama-eu-central-1", "llama-eu-central-2"], decision.Trace.Where(t => t.Rule == "policy.invoke" && t.Outcome == "allow").Select(t => t.Detail.Split(' ')[0]));

        // Outside the US the restricted model is refused for jurisdiction alone, so the
        // organisation is served the substitute, labelled, in eu-central.
        answer = await _calls.SendAsync(european.Key, Germany, Restricted);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(Open, answer.Response.Headers.GetValues(DataPlaneHandler.SubstitutedModelHeader).Single());
        Assert.Equal("llama-eu-central-2; tried=llama-eu-central-1", EndpointOf(answer));
        decision = await ExplainAsync(european, Restricted);
        Assert.Equal(("substitute", Restricted, Open), (decision.Effect, decision.RequestedModel, decision.Model));

        // A caller who would rather be refused says so.
        answer = await _calls.SendAsync(european.Key, Germany, Restricted, header: (DataPlaneHandler.SubstitutionHeader, "refuse"));
        Assert.Equal((HttpStatusCode.Forbidden, "geo.country_restricted"), (answer.Status, answer.Reason));

        // A model served only from us-east has no endpoint this organisation may use.
        answer = await _calls.SendAsync(european.Key, Germany, UsOnly);
        Assert.Equal((HttpStatusCode.Forbidden, "residency.no_allowed_endpoint"), (answer.Status, answer.Reason));
        answer = await _calls.SendAsync(american.Key, UnitedStates, UsOnly);
        Assert.Equal(HttpStatusCode.OK, answer.Status);

        // The kill switch stops the restricted model for everyone on the next request, with the
        // operator's reason, and enabling it restores service.
        using (var disabled = await _gateway.Admin.PostAsJsonAsync($"/admin/v1/models/{Restricted}/disable", new DisableModelRequest("Commerce order 2026-17.")))
        {
            disabled.EnsureSuccessStatusCode();
        }
        answer = await _calls.SendAsync(american.Key, UnitedStates, Restricted);
        Assert.Equal((HttpStatusCode.Forbidden, "model.disabled"), (answer.Status, answer.Reason));
        Assert.Contains("Commerce order 2026-17.", answer.Message);
        answer = await _calls.SendAsync(european.Key, Germany, Restricted);
        Assert.Equal((HttpStatusCode.Forbidden, "model.disabled"), (answer.Status, answer.Reason));
        using (var enabled = await _gateway.Admin.PostAsJsonAsync($"/admin/v1/models/{Restricted}/enable", new CommentRequest("Order lifted.")))
        {
            enabled.EnsureSuccessStatusCode();
        }
        answer = await _calls.SendAsync(american.Key, UnitedStates, Restricted);
        Assert.Equal(HttpStatusCode.OK, answer.Status);

        var audit = (await _gateway.Admin.GetFromJsonAsync("/admin/v1/audit", AdminJsonContext.Default.ListAuditEntry))!;
        Assert.Contains(audit, a => a.Action == "endpoint.create" && a.TargetId == "llama-eu-central-2");
        Assert.Contains(audit, a => a.Action == "model.disable" && a.Comment == "Commerce order 2026-17.");
        Assert.Contains(audit, a => a.Action == "model.enable");
    }

    private static string EndpointOf(GateCalls.Answer answer) => answer.Response.Headers.GetValues(DataPlaneHandler.EndpointHeader).Single();

    /// <summary>What an operator does once the organisation exists: name its id in the configuration and save it.</summary>
    private async Task AttachPolicyAsync(string organizationId)
    {
        await File.WriteAllTextAsync(_gateway.ConfigPath, Configuration(_gateway.Upstream.BaseUrl) + $$"""

            policies:
              organizations:
                {{organizationId}}: ["{{EuropeanPolicy}}"]
            """);
        var configuration = _gateway.Service<ConfigurationState>();
        await Eventually.TrueAsync(() => Task.FromResult(configuration.Current.Policies.ForOrganization(organizationId) is not null));
    }

    private Task<HttpResponseMessage> CreateEndpointAsync(string id, string model, string organizationId) =>
        _gateway.Admin.PostAsJsonAsync("/admin/v1/endpoints", new CreateEndpointRequest(id, model, "eu-central", "anthropic", _gateway.Upstream.BaseUrl.ToString(),
            ApiKeyEnv: GatewayInstance.UpstreamKeyVariable, OrganizationId: organizationId));

    private async Task<DecisionView> ExplainAsync(GateCalls.Caller caller, string model)
    {
        using var explained = await _gateway.Admin.PostAsJsonAsync("/admin/v1/decisions/explain", new ExplainRequest(Germany, caller.KeyId, null, model, null));
        explained.EnsureSuccessStatusCode();
        return (await explained.Content.ReadFromJsonAsync(AdminJsonContext.Default.DecisionView))!;
    }
}
