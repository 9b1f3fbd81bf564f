using System.Net;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Identity;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Engine.Tests.Decisions;

/// <summary>Layer 3 in the pipeline: the gateway's and an organisation's policies, endpoint by endpoint.</summary>
public sealed class PolicyStageTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string AllowEverything = """{"Statement":[{"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private const string KeepInEu = """
        {"Statement":[
          {"Sid":"InvokeInEu","Effect":"Allow","Action":"model:Invoke","Resource":"model/*","Condition":{"StringLike":{"gate:EndpointRegion":"eu-*"}}}
        ]}
        """;

    private const string KeepInEuWithoutMythos = """
        {"Statement":[
          {"Sid":"InvokeInEu","Effect":"Allow","Action":"model:Invoke","Resource":"model/*","Condition":{"StringLike":{"gate:EndpointRegion":"eu-*"}}},
          {"Sid":"NoMythos","Effect":"Deny","Action":"model:Invoke","Resource":"model/mythos"}
        ]}
        """;

    private GatewayConfiguration Configure(string gatewayPolicy, string? euPolicy = null)
    {
        var gateway = _folder.Write("gateway.json", gatewayPolicy);
        var eu = euPolicy is null ? "" : $"  organizations:\n    org_eu: [\"{_folder.Write("eu.json", euPolicy)}\"]\n";
        var result = ConfigurationLoader.Parse($$"""
            models:
              - { id: llama }
              - { id: us-only }
              - { id: mythos, classification: restricted, allowedJurisdictions: [us], substitute: llama }
              - { id: mythos-undeployed, classification: restricted, allowedJurisdictions: [us], substitute: llama }
            endpoints:
              - { id: mythos-us, model: mythos, provider: openai, baseUrl: "http://127.0.0.1:8003", region: us-east }
              - { id: llama-us, model: llama, provider: openai, baseUrl: "http://127.0.0.1:8000", region: us-east }
              - { id: llama-eu, model: llama, provider: openai, baseUrl: "http://127.0.0.1:8001", region: eu-central }
              - { id: only-us, model: us-only, provider: openai, baseUrl: "http://127.0.0.1:8002", region: us-east }
            policies:
              gateway: ["{{gateway}}"]
            {{eu}}
            """, "/test.yaml", _ => null);
        Assert.True(result.Configuration is not null, string.Join("\n", result.Errors));
        return result.Configuration;
    }

    /// <summary>A verified German caller of <paramref name="organization"/>, from Germany.</summary>
    private static Decision Decide(GatewayConfiguration configuration, string organization, string model, bool explains = false, bool acceptsSubstitutes = false)
    {
        var account = new Account("acc_1", organization, "Jo", null, Now)
        {
            Kyc = new KycProfile { Billing = new BillingAddress(null, null, null, null, "DE"), CardCountry = "DE", RegisteredCountry = "DE", Verification = VerificationStatus.Verified },
        };
        var principal = new Principal(null, account, new Organization(organization, "Org", Now) { AcceptsSubstitutes = acceptsSubstitutes });
        return DecisionPipeline.CreateDefault(FixedLocator.In("DE"), new FakeTimeProvider(Now))
            .Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Parse("81.2.69.142")), principal, model, null) { Explains = explains }, configuration);
    }

    [Fact]
    public void AnEuOrganisationsPolicy_KeepsItsTrafficInEu_WhileOthersUseTheFirstEndpoint()
    {
        var configuration = Configure(AllowEverything, KeepInEu);

        var eu = Decide(configuration, "org_eu", "llama");
        var other = Decide(configuration, "org_other", "llama");

        Assert.Equal(["llama-eu"], eu.Endpoints.Select(e => e.Id));
        Assert.Contains(eu.Trace, t => t is { Rule: "policy.invoke", Outcome: "deny" } && t.Detail.StartsWith("llama-us in us-east", StringComparison.Ordinal));
        Assert.Equal(["llama-us", "llama-eu"], other.Endpoints.Select(e => e.Id));
    }

    [Fact]
    public void AnExplanation_ListsEveryStatementThatMatched_AndWhichDecided()
    {
        var configuration = Configure(AllowEverything, KeepInEu);

        var explained = Decide(configuration, "org_eu", "llama", explains: true);
        var live = Decide(configuration, "org_eu", "llama");

        var matched = explained.Trace.Where(t => t.Rule == "policy.statement").Select(t => t.Detail).ToList();
        Assert.Equal(3, matched.Count);
        Assert.Contains(matched, d => d.StartsWith("llama-us: ", StringComparison.Ordinal) && d.Contains("Everything") && d.EndsWith("(gateway, deciding)", StringComparison.Ordinal));
        Assert.Contains(matched, d => d.StartsWith("llama-eu: ", StringComparison.Ordinal) && d.Contains("InvokeInEu") && d.EndsWith("(organisation, deciding)", StringComparison.Ordinal));
        Assert.DoesNotContain(live.Trace, t => t.Rule == "policy.statement");
    }

    [Fact]
    public void AModelServedOnlyOutsideTheAllowedRegions_IsAResidencyRefusal()
    {
        var decision = Decide(Configure(AllowEverything, KeepInEu), "org_eu", "us-only");

        Assert.Equal(ReasonCodes.ResidencyNoAllowedEndpoint, decision.ReasonCode);
        Assert.Equal(DecisionLayer.Policy, decision.Layer);
        Assert.Contains("only from us-east", decision.Message);
    }

    [Fact]
    public void ARestrictedModelServedOnlyOutsideTheAllowedRegions_IsStillSubstituted_AndTheSubstituteStaysInRegion()
    {
        var configuration = Configure(AllowEverything, KeepInEu);

        var decision = Decide(configuration, "org_eu", "mythos", acceptsSubstitutes: true);

        Assert.Equal((DecisionEffect.Substitute, ReasonCodes.GeoCountryRestricted, "llama"), (decision.Effect, decision.ReasonCode, decision.Model!.Id));
        Assert.Equal(["llama-eu"], decision.Endpoints.Select(e => e.Id));
    }

    [Fact]
    public void ARestrictedModelWithNoEndpointAtAll_IsStillSubstituted()
    {
        var configuration = Configure(AllowEverything);

        var decision = Decide(configuration, "org_other", "mythos-undeployed", acceptsSubstitutes: true);

        Assert.Equal((DecisionEffect.Substitute, "llama"), (decision.Effect, decision.Model!.Id));
    }

    [Fact]
    public void APolicyThatDeniesTheModelItself_IsNotAnsweredWithASubstitute()
    {
        var configuration = Configure(AllowEverything, KeepInEuWithoutMythos);

        var decision = Decide(configuration, "org_eu", "mythos", acceptsSubstitutes: true);

        Assert.Equal((DecisionEffect.Deny, ReasonCodes.GeoCountryRestricted), (decision.Effect, decision.ReasonCode));
        Assert.Contains(decision.Trace, t => t is { Rule: "substitution", Outcome: "not_eligible" } && t.Detail.Contains(ReasonCodes.PolicyExplicitDeny, StringComparison.Ordinal));
    }

    [Fact]
    public void AnExplicitDeny_NamesItsStatement_AndWinsOverEveryAllow()
    {
        var deny = """
            {"Statement":[
              {"Sid":"Everything","Effect":"Allow","Action":"*","Resource":"*"},
              {"Sid":"NoLlamaFromGermany","Effect":"Deny","Action":"model:Invoke","Resource":"model/llama","Condition":{"StringEquals":{"gate:CallerCountry":"DE"}}}
            ]}
            """;

        var decision = Decide(Configure(deny), "org_other", "llama");

        Assert.Equal(ReasonCodes.PolicyExplicitDeny, decision.ReasonCode);
        Assert.Contains("NoLlamaFromGermany", decision.Message);
    }

    [Fact]
    public void WhatNoStatementAllows_IsRefused()
    {
        var onlyEndpoints = """{"Statement":[{"Sid":"Create","Effect":"Allow","Action":"endpoint:Create","Resource":"*"}]}""";

        Assert.Equal(ReasonCodes.PolicyNotAllowed, Decide(Configure(onlyEndpoints), "org_other", "llama").ReasonCode);
    }

    [Fact]
    public void AMistakeInAPolicyFile_IsAConfigurationErrorNamingFileStatementAndField()
    {
        var file = _folder.Write("bad.json", """{"Statement":[{"Sid":"Typo","Effect":"Allow","Action":"model:Invoke","Resource":"*","Condition":{"StringEquals":{"gate:Countryy":"DE"}}}]}""");

        var result = ConfigurationLoader.Parse($"policies:\n  gateway: [\"{file}\"]\n", "/test.yaml", _ => null);

        var error = Assert.Single(result.Errors);
        Assert.Equal("policies.gateway[0]", error.Field);
        Assert.Contains($"{file}:1: Statement[0] (Sid \"Typo\")", error.Message);
        Assert.Contains("gate:Countryy", error.Message);
    }
}
