using System.Net;
using CsCheck;
using Gatehouse.Engine.Geo;
using MaxMind.Db;

namespace Gatehouse.Engine.Tests.Geo;

/// <summary>Lookups against the bundled data, with the plain MaxMind.Db reader as the reference.</summary>
public sealed class GeoIpDataTests
{
    private static readonly Lazy<GeoIpData> Bundled = new(() => GeoIpLoader.Load(new GeoIpSources(
        [BundledGeoIp.CountryDatabase], [BundledGeoIp.AsnIPv4, BundledGeoIp.AsnIPv6], BundledGeoIp.NetworkList, null)));

    private static GeoLocation Locate(string address) => Bundled.Value.Locate(IPAddress.Parse(address));

    [Theory]
    [InlineData("8.8.8.8", "US")]                           // Google Public DNS
    [InlineData("9.9.9.9", "US")]                           // Quad9
    [InlineData("193.0.6.139", "NL")]                       // RIPE NCC
    [InlineData("202.12.29.205", "AU")]                     // APNIC
    [InlineData("198.41.0.4", "US")]                        // a.root-servers.net, Verisign
    [InlineData("81.2.69.142", "GB")]                       // Andrews & Arnold
    [InlineData("2001:4860:4860::8888", "US")]              // Google Public DNS
    [InlineData("2620:fe::fe", "US")]                       // Quad9
    [InlineData("2001:67c:2e8:22::c100:68b", "NL")]         // RIPE NCC
    [InlineData("2001:dc0:2001:0:4608:20::205", "AU")]      // APNIC
    public void Locate_RegistryAndResolverAddresses_AreInTheirCountries(string address, string country)
    {
        var location = Locate(address);

        Assert.Equal(country, location.Country);
        Assert.Null(location.Note);
    }

    [Theory]
    [InlineData("::ffff:193.0.6.139", "193.0.6.139")]
    [InlineData("::ffff:8.8.8.8", "8.8.8.8")]
    public void Locate_IPv4MappedIPv6_IsTheIPv4Address(string mapped, string plain)
    {
        Assert.Same(Locate(plain), Locate(mapped));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Locate_PrivateAndLoopback_IsPrivateWithoutCountry(string address)
    {
        var location = Locate(address);

        Assert.Equal(NetworkType.Private, location.NetworkType);
        Assert.Null(location.Country);
        Assert.Contains("private or loopback", location.Note);
    }

    [Theory]
    [InlineData("240.0.0.1")]   // reserved (class E)
    [InlineData("3fff::1")]     // documentation, RFC 9637
    [InlineData("100::1")]      // discard-only, RFC 6666
    public void Locate_AddressesAbsentFromTheData_AreUnknownWithAReason(string address)
    {
        var location = Locate(address);

        Assert.Null(location.Country);
        Assert.Equal(NetworkType.Unknown, location.NetworkType);
        Assert.Equal("the address is not in the GeoIP data", location.Note);
    }

    [Theory]
    [InlineData("8.8.8.8", 15169u, NetworkType.Hosting)]
    [InlineData("2001:4860:4860::8888", 15169u, NetworkType.Hosting)]
    [InlineData("2.56.16.1", 9009u, NetworkType.Vpn)]
    [InlineData("193.0.6.139", 3333u, NetworkType.Residential)]
    public void Locate_NetworkType_ComesFromTheAsnAndTheNetworkList(string address, uint asn, NetworkType type)
    {
        var location = Locate(address);

        Assert.Equal(asn, location.Asn);
        Assert.Equal(type, location.NetworkType);
        Assert.False(string.IsNullOrEmpty(location.NetworkName));
    }

    [Fact]
    public void Locate_TorExitList_OverridesTheNetworkTypeButKeepsTheCountry()
    {
        var list = Path.GetTempFileName();
        File.WriteAllText(list, "# test exits\n193.0.6.139\nExitAddress 9.9.9.9 2026-11-23 10:00:00\n2620:fe::/48\n");
        try
        {
            var data = GeoIpLoader.Load(new GeoIpSources([BundledGeoIp.CountryDatabase], [], null, list));

            Assert.Equal(new GeoLocation("NL", NetworkType.Tor, null), data.Locate(IPAddress.Parse("193.0.6.139")));
            Assert.Equal(NetworkType.Tor, data.Locate(IPAddress.Parse("9.9.9.9")).NetworkType);
            Assert.Equal(NetworkType.Tor, data.Locate(IPAddress.Parse("2620:fe::fe")).NetworkType);
            Assert.Equal(NetworkType.Residential, data.Locate(IPAddress.Parse("193.0.6.140")).NetworkType);
        }
        finally
        {
            File.Delete(list);
        }
    }

    [Fact]
    public void Locate_AgreesWithTheMaxMindReader_ForRandomAddresses()
    {
        using var reader = new Reader(BundledGeoIp.CountryDatabase, FileAccessMode.Memory);
        var data = Bundled.Value;

        var ipv4 = Gen.UInt.Select(value => new IPAddress(BitConverter.GetBytes(value)));
        // Most of the IPv6 data lies in 2000::/3; fully random addresses would almost never hit it.
        var ipv6 = Gen.Byte.Array[16].Select(Gen.Bool, (bytes, global) =>
        {
            if (global)
            {
                bytes[0] = (byte)(0x20 | (bytes[0] & 0x1f));
            }
            return new IPAddress(bytes);
        });
        var mapped = ipv4.Select(address => address.MapToIPv6());

        Gen.OneOf(ipv4, ipv6, mapped).Sample(address =>
        {
            var actual = data.Locate(address);
            if (actual.NetworkType == NetworkType.Private)
            {
                // Gatehouse never places private ranges, whatever a registry once recorded for them.
                return;
            }
            var expected = ReferenceCountry(reader, address);
            Assert.True(expected == actual.Country, $"{address}: reader says {expected ?? "nothing"}, Gatehouse says {actual.Country ?? actual.Note}");
        }, iter: 200_000);
    }

    private static string? ReferenceCountry(Reader reader, IPAddress address)
    {
        var lookup = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var record = reader.Find<Dictionary<string, object>>(lookup);
        var code = record?.GetValueOrDefault("country_code") as string;
        return code is not null && Countries.IsKnown(code) ? code : null;
    }

    [Fact]
    public void Empty_KnowsOnlyPrivateRanges()
    {
        Assert.Equal(NetworkType.Private, GeoIpData.Empty.Locate(IPAddress.Loopback).NetworkType);
        Assert.Null(GeoIpData.Empty.Locate(IPAddress.Parse("8.8.8.8")).Country);
        Assert.False(GeoIpData.Empty.HasCountries);
    }

    [Fact]
    public void Locate_AllocatesNothing()
    {
        var data = Bundled.Value;
        var addresses = new[] { IPAddress.Parse("8.8.8.8"), IPAddress.Parse("2001:4860:4860::8888"), IPAddress.Parse("::ffff:81.2.69.142") };
        data.Locate(addresses[0]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var address in addresses)
        {
            data.Locate(address);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
