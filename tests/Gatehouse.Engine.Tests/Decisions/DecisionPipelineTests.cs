using System.Net;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Engine.Tests.Decisions;

public sealed class DecisionPipelineTests
{
    private const string Yaml = """
        jurisdictions:
          us: { name: the United States, countries: [US, PR] }
          embargoed: { countries: [CU, IR, KP, SY] }
        models:
          - id: mythos-5
            classification: restricted
            allowedJurisdictions: [us]
          - id: llama
            aliases: [llama-latest]
            deniedJurisdictions: [embargoed]
          - id: no-endpoint
          - id: keyless
        endpoints:
          - { id: mythos-us, model: mythos-5, provider: anthropic, baseUrl: "https://a.example", region: us-east }
          - { id: llama-eu, model: llama, provider: openai, baseUrl: "http://127.0.0.1:8000", region: eu-central }
          - { id: keyless-1, model: keyless, provider: openai, baseUrl: "http://127.0.0.1:8000", region: eu-central, apiKeyEnv: NOT_SET }
        """;

    private static readonly GatewayConfiguration Configuration = ConfigurationLoader.Parse(Yaml, "/test.yaml", _ => null).Configuration!;

    private sealed class FixedLocator(string? country) : IGeoLocator
    {
        public GeoLocation Locate(IPAddress address) =>
            country is null ? GeoLocation.Unknown("test: unknown") : new GeoLocation(country, NetworkType.Residential, null);
    }

    private static Decision Decide(string model, string? country, ApiDialect? api = null, string ip = "198.51.100.7")
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var sut = DecisionPipeline.CreateDefault(new FixedLocator(country), time);
        return sut.Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Parse(ip)), null, model, api), Configuration);
    }

    [Fact]
    public void Decide_UnknownModel_IsModelUnknown404()
    {
        var decision = Decide("gpt-9", "US");

        Assert.Equal(ReasonCodes.ModelUnknown, decision.ReasonCode);
        Assert.Equal(404, decision.StatusCode);
        Assert.Equal(DecisionLayer.Model, decision.Layer);
    }

    [Fact]
    public void Decide_RestrictedModelUnknownLocation_FailsClosed()
    {
        var decision = Decide("mythos-5", null);

        Assert.Equal(DecisionEffect.Deny, decision.Effect);
        Assert.Equal(ReasonCodes.GeoUnknownLocation, decision.ReasonCode);
        Assert.Equal(403, decision.StatusCode);
        Assert.Contains("the United States", decision.Message);
    }

    [Fact]
    public void Decide_RestrictedModelFromOutside_IsCountryRestrictedWithAPersonsSentence()
    {
        var decision = Decide("mythos-5", "GB", ip: "81.2.69.142");

        Assert.Equal(ReasonCodes.GeoCountryRestricted, decision.ReasonCode);
        Assert.Equal("mythos-5 is available only to callers in the United States; this request came from GB (81.2.69.142). Contact your administrator about an export licence.", decision.Message);
    }

    [Fact]
    public void Decide_RestrictedModelFromTerritory_IsAllowed()
    {
        var decision = Decide("mythos-5", "PR");

        Assert.True(decision.IsAllowed);
        Assert.Equal("mythos-us", decision.Endpoint!.Id);
        Assert.Equal(["model.resolve", "geo.locate", "geo.jurisdiction", "routing.endpoint"], decision.Trace.Select(t => t.Rule));
    }

    [Fact]
    public void Decide_OpenModelUnknownLocation_IsAllowed()
    {
        Assert.True(Decide("llama-latest", null).IsAllowed);
    }

    [Fact]
    public void Decide_OpenModelFromDeniedJurisdiction_IsDenied()
    {
        var decision = Decide("llama", "IR");

        Assert.Equal(ReasonCodes.GeoCountryRestricted, decision.ReasonCode);
        Assert.Contains("Iran", decision.Message);
    }

    [Fact]
    public void Decide_UnknownClientAddress_CarriesTheProblemIntoTheMessage()
    {
        var sut = DecisionPipeline.CreateDefault(new FixedLocator("US"), TimeProvider.System);
        var decision = sut.Decide(new DecisionRequest(ClientAddress.Unknown("the X-Forwarded-For entry 'junk' is not an address"), null, "mythos-5", null), Configuration);

        Assert.Equal(ReasonCodes.GeoUnknownLocation, decision.ReasonCode);
        Assert.Contains("'junk'", decision.Message);
    }

    [Fact]
    public void Decide_WrongDialect_NamesTheRightRoute()
    {
        var decision = Decide("llama", "DE", ApiDialect.Anthropic);

        Assert.Equal(ReasonCodes.ModelNoEndpoint, decision.ReasonCode);
        Assert.Contains("POST /v1/chat/completions", decision.Message);
        Assert.True(Decide("llama", "DE", ApiDialect.OpenAI).IsAllowed);
    }

    [Theory]
    [InlineData("no-endpoint", "no endpoint is configured")]
    [InlineData("keyless", "upstream key is not configured")]
    public void Decide_NoUsableEndpoint_Is503WithReason(string model, string expected)
    {
        var decision = Decide(model, "DE");

        Assert.Equal(503, decision.StatusCode);
        Assert.Contains(expected, decision.Message);
    }

    [Fact]
    public void Decide_StampsTimeFromTheTimeProvider()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), Decide("llama", "DE").Time);
    }
}
