using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Tests.Geo;

public sealed class GeoIpLoaderTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text) => _folder.Write(name, text);

    private static GeoDataException LoadFails(GeoIpSources sources) =>
        Assert.Throws<GeoDataException>(() => GeoIpLoader.Load(sources));

    [Fact]
    public void Load_NotAMaxMindFile_NamesTheFile()
    {
        var path = Write("junk.mmdb", "this is not a database");

        var error = LoadFails(new GeoIpSources([path], [], null, null));

        Assert.StartsWith($"{path}: not a MaxMind database", error.Message);
    }

    [Fact]
    public void Load_TruncatedDatabase_IsRejected()
    {
        var path = _folder.PathOf("truncated.mmdb");
        var bytes = File.ReadAllBytes(BundledGeoIp.CountryDatabaseIPv4Only);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.StartsWith(path, LoadFails(new GeoIpSources([path], [], null, null)).Message);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var path = _folder.PathOf("absent.csv");

        Assert.StartsWith($"{path}: cannot be read", LoadFails(new GeoIpSources([], [path], null, null)).Message);
    }

    [Theory]
    [InlineData("1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\nnot,an,address\n", ":2: 'not' or 'an' is not an IP address")]
    [InlineData("16777216,16777471,13335,Cloudflare\n", ":1: addresses are written as numbers")]
    [InlineData("1.0.0.9,1.0.0.0,13335,Cloudflare\n", ":1: 1.0.0.9 to 1.0.0.0 is not a range")]
    [InlineData("1.0.0.0,1.0.0.255,AS13335,Cloudflare\n", ":1: 'AS13335' is not an AS number")]
    [InlineData("", ": holds no ASN ranges")]
    public void Load_BadAsnRanges_NameFileAndLine(string csv, string expected)
    {
        var path = Write("asn.csv", csv);

        Assert.Equal(path + expected, LoadFails(new GeoIpSources([], [path], null, null)).Message[..(path.Length + expected.Length)]);
    }

    [Fact]
    public void Load_AsnRanges_QuotedNamesAndBothFamilies()
    {
        var path = Write("asn.csv", "1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n2001:db8::,2001:db8::ffff,64500,\"Quote \"\"Test\"\"\"\n");

        var data = GeoIpLoader.Load(new GeoIpSources([], [path], null, null));

        Assert.Equal("Cloudflare, Inc.", data.Locate(System.Net.IPAddress.Parse("1.0.0.7")).NetworkName);
        Assert.Equal("Quote \"Test\"", data.Locate(System.Net.IPAddress.Parse("2001:db8::10")).NetworkName);
        Assert.Null(data.Locate(System.Net.IPAddress.Parse("1.0.0.7")).Country);
        Assert.False(data.HasCountries);
    }

    [Theory]
    [InlineData("asn,type,name\n15169,hosting,Google\n15169,vpn,Again\n", ":3: AS15169 is listed twice")]
    [InlineData("15169,cloud,Google\n", ":1: type 'cloud' is not hosting or vpn")]
    [InlineData("x,hosting,Google\n", ":1: 'x' is not an AS number")]
    [InlineData("15169 hosting Google\n", ":1: expected 'asn,type,name'")]
    public void NetworkList_Errors_NameFileAndLine(string text, string expected)
    {
        var path = Write("networks.csv", text);

        Assert.StartsWith(path + expected, LoadFails(new GeoIpSources([], [], path, null)).Message);
    }

    [Fact]
    public void NetworkList_TheShippedList_Parses()
    {
        var list = NetworkList.Parse(BundledGeoIp.NetworkList);

        Assert.Equal(NetworkType.Hosting, list.Find(16509)?.Type);
        Assert.Equal(NetworkType.Vpn, list.Find(9009)?.Type);
        Assert.Null(list.Find(3333));
    }

    [Fact]
    public void TorExitList_BadLine_NamesFileAndLine()
    {
        var path = Write("tor.txt", "# exits\n192.0.2.1\nnot-an-address\n");

        Assert.Equal($"{path}:3: 'not-an-address' is not an IP address", LoadFails(new GeoIpSources([], [], null, path)).Message);
    }
}
