using System.Net;
using CsCheck;
using Gatehouse.Engine.Networking;

namespace Gatehouse.Engine.Tests.Networking;

public sealed class ClientAddressResolverTests
{
    private static readonly NetworkSet Proxies = new([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8:ffff::/48")]);

    private static ClientAddress Resolve(string socket, string[]? xForwardedFor = null, string[]? forwarded = null) =>
        ClientAddressResolver.Resolve(IPAddress.Parse(socket), Proxies, string.Join(",", xForwardedFor ?? []), string.Join(",", forwarded ?? []));

    [Fact]
    public void Resolve_UntrustedSocket_IgnoresForwardingHeaders()
    {
        Assert.Equal("203.0.113.5", Resolve("203.0.113.5", ["198.51.100.1"]).ToString());
    }

    [Fact]
    public void Resolve_TrustedSocket_TakesRightMostUntrustedEntry()
    {
        var client = Resolve("10.0.0.1", ["1.1.1.1, 198.51.100.7, 10.2.3.4"]);

        Assert.Equal("198.51.100.7", client.ToString());
    }

    [Fact]
    public void Resolve_SeveralHeaderLines_AreReadAsOneChainInOrder()
    {
        Assert.Equal("198.51.100.9", Resolve("10.0.0.1", ["192.0.2.1", "198.51.100.9, 10.9.9.9"]).ToString());
    }

    [Fact]
    public void Resolve_AllHopsTrusted_TakesTheLeftMost()
    {
        Assert.Equal("10.1.1.1", Resolve("10.0.0.1", ["10.1.1.1, 10.2.2.2"]).ToString());
    }

    [Fact]
    public void Resolve_TrustedSocketWithoutHeaders_IsTheSocket()
    {
        Assert.Equal("10.0.0.1", Resolve("10.0.0.1").ToString());
    }

    [Fact]
    public void Resolve_IPv4MappedSocket_IsNormalisedBeforeTheTrustCheck()
    {
        Assert.Equal("198.51.100.7", Resolve("::ffff:10.0.0.1", ["198.51.100.7"]).ToString());
        Assert.Equal("203.0.113.5", Resolve("::ffff:203.0.113.5", ["198.51.100.7"]).ToString());
    }

    [Theory]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("198.51.100.7:5000", "198.51.100.7")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7")]
    public void Resolve_EntryForms_AreParsed(string entry, string expected)
    {
        Assert.Equal(expected, Resolve("2001:db8:ffff::1", [entry]).ToString());
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("1")]
    [InlineData("0x7f.1")]
    [InlineData("198.51.100.7:port")]
    [InlineData("[2001:db8::1")]
    [InlineData("<script>")]
    [InlineData("999.1.1.1")]
    public void Resolve_GarbageEntry_IsUnknownNotTheProxy(string entry)
    {
        var client = Resolve("10.0.0.1", [$"{entry}, 10.0.0.2"]);

        Assert.Null(client.Address);
        Assert.Contains("X-Forwarded-For", client.Problem);
    }

    [Fact]
    public void Resolve_GarbageLeftOfTheClient_IsIgnored()
    {
        Assert.Equal("198.51.100.7", Resolve("10.0.0.1", ["not-an-ip, 198.51.100.7"]).ToString());
    }

    [Fact]
    public void Resolve_ForwardedHeader_IsReadWhenThereIsNoXForwardedFor()
    {
        var client = Resolve("10.0.0.1", forwarded: ["for=192.0.2.60;proto=http;by=203.0.113.43, for=\"[2001:db8:cafe::17]:4711\""]);

        Assert.Equal("2001:db8:cafe::17", client.ToString());
    }

    [Fact]
    public void Resolve_BothHeaders_XForwardedForWins()
    {
        Assert.Equal("198.51.100.7", Resolve("10.0.0.1", ["198.51.100.7"], ["for=192.0.2.60"]).ToString());
    }

    [Fact]
    public void Resolve_ForwardedElementWithoutFor_IsUnknown()
    {
        Assert.Null(Resolve("10.0.0.1", forwarded: ["proto=https"]).Address);
    }

    [Fact]
    public void Resolve_AnyHeaderText_NeverThrowsAndNeverReturnsTheTrustedProxy()
    {
        Gen.String.Array[0, 4].Sample(values =>
        {
            var client = ClientAddressResolver.Resolve(IPAddress.Parse("10.0.0.1"), Proxies, string.Join(",", values), string.Join(",", values));
            // A header with no entry at all (empty, or nothing but commas and spaces) leaves the trusted proxy as the origin.
            var noEntries = string.Join(",", values).Split(',').All(string.IsNullOrWhiteSpace);
            return client.Address is null || !client.Address.Equals(IPAddress.Parse("10.0.0.1")) || noEntries || values.Any(v => v.Contains("10.0.0.1"));
        });
    }
}
