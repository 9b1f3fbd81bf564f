using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Gatehouse.Engine.Networking;

/// <summary>
/// A set of IP networks: the trusted proxies whose forwarding headers Gatehouse believes, or the
/// networks an API key may be used from.
/// </summary>
public sealed class NetworkSet
{
    private readonly IPNetwork[] _networks;

    public NetworkSet(IEnumerable<IPNetwork> networks) => _networks = [.. networks];

    public static NetworkSet None { get; } = new([]);

    public IReadOnlyList<IPNetwork> Networks => _networks;

    public bool IsEmpty => _networks.Length == 0;

    public bool Contains(IPAddress address)
    {
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Reads <c>10.0.0.0/8</c>, <c>2001:db8::/32</c> or a single address (a /32 or /128).</summary>
    public static bool TryParseNetwork(string text, [NotNullWhen(true)] out IPNetwork? network)
    {
        network = null;
        if (IPNetwork.TryParse(text, out var parsed))
        {
            network = parsed;
            return true;
        }
        if (IPAddress.TryParse(text, out var single) && !text.Contains('/'))
        {
            single = ClientAddressResolver.Normalize(single);
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return false;
    }

    public override string ToString() => string.Join(" ", _networks);
}
