using System.Net;
using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Networking;
using Microsoft.Extensions.Primitives;

namespace Gatehouse.Benchmarks.Networking;

/// <summary>
/// The first thing every data-plane request does. The baseline is the common case without a
/// load balancer; the other walks a three-hop chain behind one.
/// </summary>
// BenchmarkDotNet derives from benchmark classes, so they are public and unsealed.
[MemoryDiagnoser]
public class ClientAddressResolverBenchmarks
{
    private NetworkSet _trusted = NetworkSet.None;
    private IPAddress _untrustedSocket = IPAddress.None;
    private IPAddress _trustedSocket = IPAddress.None;

    // StringValues, as the host passes them straight from the request headers.
    private StringValues _xForwardedFor;
    private StringValues _forwarded;

    [GlobalSetup]
    public void Setup()
    {
        _trusted = new NetworkSet([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("127.0.0.1/32")]);
        _untrustedSocket = IPAddress.Parse("203.0.113.7");
        _trustedSocket = IPAddress.Parse("10.0.0.1");
        // Caller, then two trusted proxies; the socket peer is a third.
        _xForwardedFor = new StringValues("198.51.100.23, 10.1.2.3, 10.4.5.6");
        _forwarded = StringValues.Empty;

        Expect(Resolve(_untrustedSocket), "203.0.113.7");
        Expect(Resolve(_trustedSocket), "198.51.100.23");
    }

    [Benchmark(Baseline = true)]
    public ClientAddress UntrustedSocket() => Resolve(_untrustedSocket);

    [Benchmark]
    public ClientAddress TrustedProxyThreeHops() => Resolve(_trustedSocket);

    private ClientAddress Resolve(IPAddress socket) =>
        ClientAddressResolver.Resolve(socket, _trusted, _xForwardedFor.ToString(), _forwarded.ToString());

    // A benchmark of a wrong answer is worthless; fail before measuring anything.
    private static void Expect(ClientAddress actual, string expected)
    {
        if (actual.ToString() != expected)
        {
            throw new InvalidOperationException($"Resolved {actual}, expected {expected}.");
        }
    }
}
