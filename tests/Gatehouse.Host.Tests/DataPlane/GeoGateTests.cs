using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Host.Tests.Support;

namespace Gatehouse.Host.Tests.DataPlane;

/// <summary>
/// Layer 1 through the real server and the bundled GeoIP data. Requests from 127.0.0.2 come
/// from the trusted proxy, so their X-Forwarded-For is believed; requests from 127.0.0.1 do not.
/// </summary>
public sealed class GeoGateTests(GeoGateTests.Fixture fixture) : IClassFixture<GeoGateTests.Fixture>
{
    private const string TorExit = "193.0.6.139";        // RIPE NCC (NL), listed as a Tor exit for these tests
    private const string UnitedStates = "9.9.9.9";        // Quad9
    private const string UnitedKingdom = "81.2.69.142";
    private const string Iran = "2.176.0.1";
    private const string VpnNetwork = "2.56.16.1";        // M247, on the shipped network list as vpn
    private const string NotInData = "240.0.0.1";

    private GatewayInstance Gateway => fixture.Gateway;

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly string _torList = Path.Combine(Path.GetTempPath(), $"gatehouse-tor-{Guid.NewGuid():n}.txt");

        internal GatewayInstance Gateway { get; private set; } = null!;


        public async Task InitializeAsync()
        {
            await File.WriteAllTextAsync(_torList, TorExit + "\n");
            Gateway = await GatewayInstance.StartAsync(upstream => $$"""
                listeners:
                  dataPlane: ["http://127.0.0.1:0"]
                  admin: ["http://127.0.0.1:0"]
                trustedProxies: ["127.0.0.2", "10.0.0.0/8"]
                {{BundledGeoIp.Section(_torList)}}
                identity:
                  autoSuspend: { outsideDenials: 0 }   # these tests send many refused requests with one account
                models:
                  - id: restricted-claude
                    classification: restricted
                    allowedJurisdictions: [us]
                  - id: restricted-gpt
                    classification: restricted
                    allowedJurisdictions: [us]
                  - id: open-claude
                  - id: open-gpt
                endpoints:
                  - { id: rc, model: restricted-claude, provider: anthropic, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
                  - { id: rg, model: restricted-gpt, provider: openai, baseUrl: "{{upstream}}", region: us-east, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
                  - { id: oc, model: open-claude, provider: anthropic, baseUrl: "{{upstream}}", region: local, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
                  - { id: og, model: open-gpt, provider: openai, baseUrl: "{{upstream}}", region: local, apiKeyEnv: {{GatewayInstance.UpstreamKeyVariable}} }
                """);
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            File.Delete(_torList);
        }
    }

    public enum Dialect
    {
        Anthropic,
        OpenAI,
    }

    private async Task<Answer> SendAsync(Dialect dialect, string model, (string Name, string Value)? forwarded, bool viaProxy = true)
    {
        var request = dialect == Dialect.Anthropic
            ? new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent($$"""{"model":"{{model}}-claude","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            }
            : new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent($$"""{"model":"{{model}}-gpt","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Gateway.ApiKey);
        if (forwarded is { } header)
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }
        using var response = await (viaProxy ? Gateway.ViaTrustedProxy : Gateway.Client).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var decision = response.Headers.GetValues("gatehouse-decision").Single();
        return new Answer(response.StatusCode, decision[..decision.IndexOf(';')], body);
    }

    private Task<Answer> FromAsync(string forwardedFor, Dialect dialect = Dialect.Anthropic, string model = "restricted") =>
        SendAsync(dialect, model, ("X-Forwarded-For", forwardedFor));

    private sealed record Answer(HttpStatusCode Status, string Reason, string Body)
    {
        /// <summary>The error message, read the way each dialect's SDK reads it.</summary>
        public string Message(Dialect dialect)
        {
            var json = JsonNode.Parse(Body)!;
            if (dialect == Dialect.Anthropic)
            {
                Assert.Equal("error", json["type"]!.GetValue<string>());
                Assert.Equal("permission_error", json["error"]!["type"]!.GetValue<string>());
                return json["error"]!["message"]!.GetValue<string>();
            }
            Assert.Equal(Reason, json["error"]!["code"]!.GetValue<string>());
            return json["error"]!["message"]!.GetValue<string>();
        }
    }

    [Theory]
    [InlineData(Dialect.Anthropic)]
    [InlineData(Dialect.OpenAI)]
    public async Task CountryOutsideTheJurisdiction_IsCountryRestrictedWithAPersonsSentence(Dialect dialect)
    {
        var answer = await FromAsync(UnitedKingdom, dialect);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("geo.country_restricted", answer.Reason);
        var model = dialect == Dialect.Anthropic ? "restricted-claude" : "restricted-gpt";
        Assert.Equal($"{model} is available only to callers in the United States; this request came from GB (81.2.69.142). " +
            "Contact your administrator about an export licence.", answer.Message(dialect));
    }

    [Theory]
    [InlineData(Dialect.Anthropic, "restricted")]
    [InlineData(Dialect.OpenAI, "restricted")]
    [InlineData(Dialect.Anthropic, "open")]
    [InlineData(Dialect.OpenAI, "open")]
    public async Task EmbargoedCountry_IsEmbargoedForEveryModel(Dialect dialect, string model)
    {
        var answer = await FromAsync(Iran, dialect, model);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("geo.embargoed", answer.Reason);
        Assert.Contains("Iran, which is under embargo; this request came from IR (2.176.0.1)", answer.Message(dialect));
    }

    [Theory]
    [InlineData(Dialect.Anthropic, TorExit, "the Tor network")]
    [InlineData(Dialect.OpenAI, TorExit, "the Tor network")]
    [InlineData(Dialect.Anthropic, VpnNetwork, "VPN and proxy networks")]
    [InlineData(Dialect.OpenAI, VpnNetwork, "VPN and proxy networks")]
    public async Task AnonymizingNetwork_IsRefusedForRestrictedModels(Dialect dialect, string address, string named)
    {
        var answer = await FromAsync(address, dialect);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("geo.anonymizer", answer.Reason);
        Assert.Contains($"is not available through {named}; this request came from {address}", answer.Message(dialect));
        Assert.Equal(HttpStatusCode.OK, (await FromAsync(address, dialect, "open")).Status);
    }

    [Theory]
    [InlineData(Dialect.Anthropic, NotInData, "the address is not in the GeoIP data")]
    [InlineData(Dialect.OpenAI, NotInData, "the address is not in the GeoIP data")]
    [InlineData(Dialect.Anthropic, "not-an-address", "'not-an-address'")]
    [InlineData(Dialect.OpenAI, "9.9.9.9, 300.1.1.1", "'300.1.1.1'")]
    public async Task UnknownLocation_IsRefusedForRestrictedModelsOnly(Dialect dialect, string forwardedFor, string why)
    {
        var answer = await FromAsync(forwardedFor, dialect);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal("geo.unknown_location", answer.Reason);
        Assert.Contains(why, answer.Message(dialect));
        Assert.Equal(HttpStatusCode.OK, (await FromAsync(forwardedFor, dialect, "open")).Status);
    }

    [Theory]
    [InlineData(Dialect.Anthropic)]
    [InlineData(Dialect.OpenAI)]
    public async Task CallerInsideTheJurisdiction_IsServed(Dialect dialect)
    {
        var answer = await FromAsync(UnitedStates, dialect);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("allowed", answer.Reason);
    }

    [Fact]
    public async Task ForwardedForFromAnUntrustedSocket_IsIgnored()
    {
        var answer = await SendAsync(Dialect.Anthropic, "restricted", ("X-Forwarded-For", UnitedStates), viaProxy: false);

        Assert.Equal("geo.unknown_location", answer.Reason);
        Assert.Contains("this request (127.0.0.1)", answer.Message(Dialect.Anthropic));
    }

    [Theory]
    [InlineData("81.2.69.142, 9.9.9.9", "allowed")]                 // the right-most entry is the one the proxy added
    [InlineData("9.9.9.9, 81.2.69.142", "geo.country_restricted")]  // a caller cannot prepend its way in
    [InlineData("81.2.69.142, 10.1.2.3", "geo.country_restricted")] // 10.0.0.0/8 is a trusted hop, so the caller is before it
    [InlineData("9.9.9.9,10.9.9.9", "allowed")]
    [InlineData("9.9.9.9, garbage, 10.1.2.3", "geo.unknown_location")] // a garbage hop is where the chain breaks: unknown, never a guess
    public async Task SeveralHops_TheRightMostUntrustedAddressIsTheCaller(string forwardedFor, string reason)
    {
        Assert.Equal(reason, (await FromAsync(forwardedFor)).Reason);
    }

    [Fact]
    public async Task ForwardedHeader_IPv6Caller_IsPlaced()
    {
        var answer = await SendAsync(Dialect.OpenAI, "restricted", ("Forwarded", "for=\"[2620:fe::fe]:4711\";proto=https"));

        Assert.Equal("allowed", answer.Reason);
    }

    [Fact]
    public async Task Explain_ReportsCountryAndNetworkTypeInTheTrace()
    {
        using var response = await Gateway.Admin.PostAsync("/admin/v1/decisions/explain",
            new StringContent("""{"model":"restricted-claude","ip":"2.56.16.1"}""", Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("geo.anonymizer", json["reasonCode"]!.GetValue<string>());
        Assert.Equal("vpn", json["networkType"]!.GetValue<string>());
        Assert.Equal(9009u, json["asn"]!.GetValue<uint>());
        Assert.Contains(json["trace"]!.AsArray(), t => t!["detail"]!.GetValue<string>().Contains("vpn network, AS9009", StringComparison.Ordinal));
    }
}
