using System.Net;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Models;
using Gatehouse.Engine.Networking;
using Gatehouse.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Engine.Tests.Decisions;

public sealed class DecisionPipelineTests
{
    private const string Yaml = """
        jurisdictions:
          us: { name: the United States, countries: [US, PR] }
          sanctioned: { countries: [BY] }
        models:
          - id: mythos-5
            classification: restricted
            allowedJurisdictions: [us]
          - id: llama
            aliases: [llama-latest]
            deniedJurisdictions: [sanctioned]
          - id: no-endpoint
          - id: keyless
        endpoints:
          - { id: mythos-us, model: mythos-5, provider: anthropic, baseUrl: "https://a.example", region: us-east }
          - { id: llama-eu, model: llama, provider: openai, baseUrl: "http://127.0.0.1:8000", region: eu-central }
          - { id: keyless-1, model: keyless, provider: openai, baseUrl: "http://127.0.0.1:8000", region: eu-central, apiKeyEnv: NOT_SET }
        """;

    private static readonly GatewayConfiguration Configuration = Parse(Yaml);

    private static GatewayConfiguration Parse(string yaml) => ConfigurationLoader.Parse(yaml, "/test.yaml", _ => null).Configuration!;

    private static GeoLocation In(string country, NetworkType type = NetworkType.Residential, string? subdivision = null) =>
        new(country, type, null) { Subdivision = subdivision };

    private static Decision Decide(string model, string? country, ApiDialect? api = null, string ip = "198.51.100.7") =>
        DecideFrom(model, country is null ? GeoLocation.Unknown("test: unknown") : In(country), Configuration, api, ip);

    private static Decision DecideFrom(string model, GeoLocation location, GatewayConfiguration? configuration = null, ApiDialect? api = null, string ip = "198.51.100.7")
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var sut = DecisionPipeline.CreateDefault(new FixedLocator(location), time);
        return sut.Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Parse(ip)), null, model, api), configuration ?? Configuration);
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
        Assert.Equal(["identity.account", "model.resolve", "geo.locate", "geo.jurisdiction", "routing.endpoint"], decision.Trace.Select(t => t.Rule));
    }

    [Fact]
    public void Decide_OpenModelUnknownLocation_IsAllowed()
    {
        Assert.True(Decide("llama-latest", null).IsAllowed);
    }

    [Fact]
    public void Decide_OpenModelFromDeniedJurisdiction_IsCountryRestricted()
    {
        var decision = Decide("llama", "BY");

        Assert.Equal(ReasonCodes.GeoCountryRestricted, decision.ReasonCode);
        Assert.Contains("Belarus", decision.Message);
    }

    [Theory]
    [InlineData("llama", "IR")]
    [InlineData("llama", "KP")]
    [InlineData("mythos-5", "CU")]
    [InlineData("keyless", "SY")]
    public void Decide_EmbargoedCountry_IsDeniedForEveryModelByDefault(string model, string country)
    {
        var decision = Decide(model, country);

        Assert.Equal(ReasonCodes.GeoEmbargoed, decision.ReasonCode);
        Assert.Equal(403, decision.StatusCode);
        Assert.Contains("under embargo", decision.Message);
        Assert.Equal("geo.embargo", decision.Rule);
    }

    [Fact]
    public void Decide_EmbargoedRegion_NeedsTheSubdivision()
    {
        Assert.Equal(ReasonCodes.GeoEmbargoed, DecideFrom("llama", In("UA", subdivision: "UA-43")).ReasonCode);
        Assert.True(DecideFrom("llama", In("UA", subdivision: "UA-30")).IsAllowed);
        Assert.True(DecideFrom("llama", In("UA")).IsAllowed);
    }

    [Fact]
    public void Decide_EmbargoLiftedExplicitly_LeavesOnlyTheModelsOwnRules()
    {
        var configuration = Parse(Yaml + "\ngeo:\n  embargo: []\n");

        Assert.True(DecideFrom("llama", In("IR"), configuration).IsAllowed);
        Assert.Equal(ReasonCodes.GeoCountryRestricted, DecideFrom("mythos-5", In("IR"), configuration).ReasonCode);
    }

    [Theory]
    [InlineData(NetworkType.Tor, "the Tor network")]
    [InlineData(NetworkType.Vpn, "VPN and proxy networks")]
    public void Decide_RestrictedModelThroughAnAnonymizer_IsDeniedEvenFromInside(NetworkType type, string named)
    {
        var decision = DecideFrom("mythos-5", In("US", type) with { Asn = 9009, NetworkName = "M247 Europe SRL" });

        Assert.Equal(ReasonCodes.GeoAnonymizer, decision.ReasonCode);
        Assert.StartsWith($"mythos-5 is not available through {named}; this request came from 198.51.100.7 through M247 Europe SRL", decision.Message);
    }

    [Fact]
    public void Decide_OpenModelThroughAnAnonymizer_IsAllowed()
    {
        Assert.True(DecideFrom("llama", In("US", NetworkType.Tor)).IsAllowed);
    }

    [Fact]
    public void Decide_HostingNetworks_AreAllowedUnlessConfigured()
    {
        var strict = Parse(Yaml + "\ngeo:\n  anonymizers: [tor, vpn, hosting]\n");

        Assert.True(DecideFrom("mythos-5", In("US", NetworkType.Hosting)).IsAllowed);
        Assert.Equal(ReasonCodes.GeoAnonymizer, DecideFrom("mythos-5", In("US", NetworkType.Hosting), strict).ReasonCode);
    }

    [Fact]
    public void Decide_PrivateNetwork_IsPlacedInTheConfiguredCountry()
    {
        var privateAddress = new GeoLocation(null, NetworkType.Private, "it is a private or loopback address");
        var inHouse = Parse(Yaml + "\ngeo:\n  privateNetworkCountry: US\n");

        Assert.Equal(ReasonCodes.GeoUnknownLocation, DecideFrom("mythos-5", privateAddress, ip: "10.0.0.5").ReasonCode);
        var decision = DecideFrom("mythos-5", privateAddress, inHouse, ip: "10.0.0.5");
        Assert.True(decision.IsAllowed);
        Assert.Equal("US", decision.Location!.Country);
        Assert.Equal(NetworkType.Private, decision.Location.NetworkType);
    }

    [Fact]
    public void Decide_Trace_CarriesCountryNetworkTypeAndAsn()
    {
        var decision = DecideFrom("mythos-5", In("US", NetworkType.Hosting) with { Asn = 16509, NetworkName = "Amazon.com, Inc." });

        var locate = Assert.Single(decision.Trace, t => t.Rule == "geo.locate");
        Assert.Equal("US", locate.Outcome);
        Assert.Equal("198.51.100.7: US, hosting network, AS16509 Amazon.com, Inc.", locate.Detail);
    }

    [Fact]
    public void Decide_UnknownClientAddress_CarriesTheProblemIntoTheMessage()
    {
        var sut = DecisionPipeline.CreateDefault(new FixedLocator(In("US")), TimeProvider.System);
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
