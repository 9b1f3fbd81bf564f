using System.Net;
using Gatehouse.Engine.Configuration;
using Gatehouse.Engine.Decisions;
using Gatehouse.Engine.Geo;
using Gatehouse.Engine.Networking;

namespace Gatehouse.Engine.Tests.Geo;

/// <summary>The kinds of MaxMind database an operator may configure, written by the test's own writer.</summary>
public sealed class MaxMindFormatsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Save(MmdbWriter writer, string name)
    {
        var path = _folder.PathOf(name);
        writer.Save(path);
        return path;
    }

    private static Dictionary<string, object> Country(string code) => new() { ["country"] = new Dictionary<string, object> { ["iso_code"] = code } };

    private static GeoLocation Locate(GeoIpData data, string address) => data.Locate(IPAddress.Parse(address));

    [Fact]
    public void CityDatabase_PlacesSubdivisions_AndTheRegionalEmbargoApplies()
    {
        var city = Save(new MmdbWriter("GeoIP2-City")
            .Add("203.0.113.0/25", new Dictionary<string, object>
            {
                ["country"] = new Dictionary<string, object> { ["iso_code"] = "UA", ["names"] = new Dictionary<string, object> { ["en"] = "Ukraine" } },
                ["subdivisions"] = new List<object> { new Dictionary<string, object> { ["iso_code"] = "43" } },
            })
            .Add("203.0.113.128/25", new Dictionary<string, object>
            {
                ["country"] = new Dictionary<string, object> { ["iso_code"] = "UA" },
                ["subdivisions"] = new List<object> { new Dictionary<string, object> { ["iso_code"] = "30" } },
            })
            .Add("2001:db8::/32", Country("DE")), "city.mmdb");

        var data = GeoIpLoader.Load(new GeoIpSources([city], [], null, null));

        Assert.True(data.HasSubdivisions);
        Assert.Equal(("UA", "UA-43"), (Locate(data, "203.0.113.7").Country, Locate(data, "203.0.113.7").Subdivision));
        Assert.Equal("UA-30", Locate(data, "203.0.113.200").Subdivision);
        Assert.Equal("DE", Locate(data, "2001:db8::1").Country);
        Assert.Null(Locate(data, "198.51.100.1").Country);

        var configuration = ConfigurationLoader.Parse("models:\n  - id: open\nendpoints:\n  - { id: e, model: open, provider: openai, baseUrl: \"http://127.0.0.1:1\", region: r }\n", "/t.yaml", _ => null).Configuration!;
        var pipeline = DecisionPipeline.CreateDefault(data, TimeProvider.System);
        Decision Decide(string ip) => pipeline.Decide(new DecisionRequest(ClientAddress.Known(IPAddress.Parse(ip)), null, "open", null), configuration);
        Assert.Equal(ReasonCodes.GeoEmbargoed, Decide("203.0.113.7").ReasonCode);
        Assert.Contains("this request came from UA-43 (203.0.113.7)", Decide("203.0.113.7").Message);
        Assert.True(Decide("203.0.113.200").IsAllowed);
    }

    [Fact]
    public void AnonymousIpDatabase_SetsTheNetworkType_AndTheCountryComesFromTheCountryDatabase()
    {
        var anonymous = Save(new MmdbWriter("GeoIP2-Anonymous-IP")
            .Add("9.9.9.0/30", new Dictionary<string, object> { ["is_anonymous"] = true, ["is_tor_exit_node"] = true })
            .Add("9.9.9.4/30", new Dictionary<string, object> { ["is_anonymous"] = true, ["is_anonymous_vpn"] = true })
            .Add("9.9.9.8/30", new Dictionary<string, object> { ["is_anonymous"] = true, ["is_public_proxy"] = true })
            .Add("9.9.9.12/30", new Dictionary<string, object> { ["is_hosting_provider"] = true }), "anonymous.mmdb");

        var data = GeoIpLoader.Load(new GeoIpSources([BundledGeoIp.CountryDatabaseIPv4Only, anonymous], [], null, null));

        Assert.Equal(new GeoLocation("US", NetworkType.Tor, null), Locate(data, "9.9.9.1"));
        Assert.Equal(NetworkType.Vpn, Locate(data, "9.9.9.5").NetworkType);
        Assert.Equal(NetworkType.Vpn, Locate(data, "9.9.9.9").NetworkType);
        Assert.Equal(NetworkType.Hosting, Locate(data, "9.9.9.13").NetworkType);
        Assert.Equal(NetworkType.Residential, Locate(data, "9.9.9.17").NetworkType);
    }

    [Fact]
    public void AsnDatabase_GivesAsnAndName_AndTheNetworkListItsType()
    {
        var asn = Save(new MmdbWriter("GeoLite2-ASN")
            .Add("192.0.2.0/24", new Dictionary<string, object> { ["autonomous_system_number"] = 64500u, ["autonomous_system_organization"] = "Example VPN Ltd" })
            .Add("2001:db8:1::/48", new Dictionary<string, object> { ["autonomous_system_number"] = 64501u, ["autonomous_system_organization"] = "Example Homes" }), "asn.mmdb");
        var list = _folder.Write("networks.csv", "asn,type,name\n64500,vpn,Example VPN\n");

        var data = GeoIpLoader.Load(new GeoIpSources([asn], [], list, null));

        Assert.Equal((64500u, "Example VPN Ltd", NetworkType.Vpn), (Locate(data, "192.0.2.10").Asn, Locate(data, "192.0.2.10").NetworkName, Locate(data, "192.0.2.10").NetworkType));
        Assert.Equal((64501u, NetworkType.Residential), (Locate(data, "2001:db8:1::5").Asn, Locate(data, "2001:db8:1::5").NetworkType));
        Assert.Null(Locate(data, "192.0.2.10").Country);
    }

    [Fact]
    public void SeveralCountryDatabases_TheFirstListedWins_LaterOnesFillGaps()
    {
        var preferred = Save(new MmdbWriter("Country").Add("192.0.2.0/24", Country("DE")), "preferred.mmdb");
        var fallback = Save(new MmdbWriter("Country").Add("192.0.2.0/23", Country("FR")), "fallback.mmdb");

        var data = GeoIpLoader.Load(new GeoIpSources([preferred, fallback], [], null, null));

        Assert.Equal("DE", Locate(data, "192.0.2.1").Country);
        Assert.Equal("FR", Locate(data, "192.0.3.1").Country);
    }

    [Fact]
    public void DatabaseWithoutFieldsGatehouseReads_IsRejectedByName()
    {
        var path = Save(new MmdbWriter("GeoIP2-Connection-Type").Add("192.0.2.0/24", new Dictionary<string, object> { ["connection_type"] = "Cable/DSL" }), "connection.mmdb");

        var error = Assert.Throws<GeoDataException>(() => GeoIpLoader.Load(new GeoIpSources([path], [], null, null)));

        Assert.StartsWith($"{path}: the GeoIP2-Connection-Type database holds no country, ASN or anonymizer fields", error.Message);
    }
}
