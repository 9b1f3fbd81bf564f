using System.Net;
using System.Net.Http.Json;
using Gatehouse.Host.Admin;
using Gatehouse.Host.DataPlane;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// Substitution through the real server: a restricted model refused to a UK caller for
/// jurisdiction reasons only is served by its open substitute, for organisations that opt in.
/// </summary>
public sealed class SubstitutionTests : IAsyncLifetime
{
    private const string Restricted = "mythos-5";
    private const string Substitute = "llama-3.1-405b";
    private const string SubstituteUpstreamName = "meta-llama/Llama-3.1-405B-Instruct";
    private const string UnitedKingdom = "81.2.69.142";

    private GatewayInstance _gateway = null!;
    private GateCalls _calls = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayInstance.StartAsync(upstream => $$"""
            {{GatewayInstance.BehindTrustedProxy}}
            identity:
              autoSuspend: { outsideDenials: 0 }
            models:
              - { id: {{Restricted}}, classification: restricted, allowedJurisdictions: [us], substitute: {{Substitute}} }
              - { id: {{Substitute}} }
            endpoints:
              - { id: m, model: {{Restricted}}, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
              - { id: l, model: {{Substitute}}, provider: anthropic, baseUrl: "{{upstream}}", region: eu-central, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}}, upstreamModel: "{{SubstituteUpstreamName}}" }
            """);
        _calls = new GateCalls(_gateway, _gateway.ViaTrustedProxy);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    /// <summary>A verified UK account in an organisation that has (or has not) opted in.</summary>
    private async Task<GateCalls.Caller> UkCallerAsync(bool optedIn, string verification = "verified")
    {
        var caller = await _calls.CallerAsync(billing: "GB", card: "GB", registered: "GB", verification: verification);
        using var update = await _gateway.Admin.PatchAsJsonAsync($"/admin/v1/organizations/{caller.OrganizationId}", new UpdateOrganizationRequest(AcceptsSubstitutes: optedIn));
        update.EnsureSuccessStatusCode();
        return caller;
    }

    [Fact]
    public async Task ARestrictedModelRefusedForJurisdictionOnly_IsServedByItsSubstitute_AndLabelled()
    {
        var caller = await UkCallerAsync(optedIn: true);

        var answer = await _calls.SendAsync(caller.Key, UnitedKingdom, Restricted);
        using var explained = await _gateway.Admin.PostAsJsonAsync("/admin/v1/decisions/explain", new ExplainRequest(UnitedKingdom, caller.KeyId, null, Restricted, null));
        var decision = (await explained.Content.ReadFromJsonAsync(AdminJsonContext.Default.DecisionView))!;

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(Substitute, answer.Response.Headers.GetValues(DataPlaneHandler.SubstitutedModelHeader).Single());
        Assert.Equal(SubstituteUpstreamName, _gateway.Upstream.Received.Last().Model);
        Assert.Equal(("substitute", "geo.country_restricted", Restricted, Substitute), (decision.Effect, decision.ReasonCode, decision.RequestedModel, decision.Model));
        Assert.Contains(decision.Trace, t => t.Rule == "substitution" && t.Outcome == "substitute");
    }

    [Fact]
    public async Task ACallerCanRefuseSubstitution_WithAHeader()
    {
        var caller = await UkCallerAsync(optedIn: true);

        var answer = await _calls.SendAsync(caller.Key, UnitedKingdom, Restricted, header: (DataPlaneHandler.SubstitutionHeader, "refuse"));

        Assert.Equal((HttpStatusCode.Forbidden, "geo.country_restricted"), (answer.Status, answer.Reason));
        Assert.False(answer.Response.Headers.Contains(DataPlaneHandler.SubstitutedModelHeader));
    }

    [Fact]
    public async Task AnOrganisationThatHasNotOptedIn_IsRefused()
    {
        var caller = await UkCallerAsync(optedIn: false);

        var answer = await _calls.SendAsync(caller.Key, UnitedKingdom, Restricted);

        Assert.Equal((HttpStatusCode.Forbidden, "geo.country_restricted"), (answer.Status, answer.Reason));
    }

    [Fact]
    public async Task ARefusalForMoreThanJurisdiction_IsNotSubstituted()
    {
        // Unverified: the restricted model would be refused even from inside the US.
        var caller = await UkCallerAsync(optedIn: true, verification: "unverified");

        var answer = await _calls.SendAsync(caller.Key, UnitedKingdom, Restricted);
        using var explained = await _gateway.Admin.PostAsJsonAsync("/admin/v1/decisions/explain", new ExplainRequest(UnitedKingdom, caller.KeyId, null, Restricted, null));
        var decision = (await explained.Content.ReadFromJsonAsync(AdminJsonContext.Default.DecisionView))!;

        Assert.Equal((HttpStatusCode.Forbidden, "geo.country_restricted"), (answer.Status, answer.Reason));
        Assert.Contains(decision.Trace, t => t.Rule == "substitution" && t.Outcome == "not_eligible" && t.Detail.Contains("identity.unverified"));
    }
}
