using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Engine.Networking;

/// <summary>
/// Finds the caller's address: the socket peer, or, only when the peer is a trusted proxy, the
/// right-most entry of the forwarding chain that is not itself a trusted proxy. Entries to the
/// left of that one were written by the caller and prove nothing.
/// </summary>
public static class ClientAddressResolver
{
    /// <param name="socketAddress">The TCP peer.</param>
    /// <param name="xForwardedFor">The <c>X-Forwarded-For</c> header, several lines joined with commas in order (as HTTP defines), or empty.</param>
    /// <param name="forwarded">The <c>Forwarded</c> (RFC 7239) header, joined the same way; read only when there is no X-Forwarded-For.</param>
    public static ClientAddress Resolve(IPAddress socketAddress, NetworkSet trusted, string? xForwardedFor, string? forwarded)
    {
        var peer = Normalize(socketAddress);
        if (!trusted.Contains(peer))
        {
            return ClientAddress.Known(peer);
        }

        var useForwarded = string.IsNullOrWhiteSpace(xForwardedFor);
        var hops = SplitHops(useForwarded ? forwarded : xForwardedFor);
        var headerName = useForwarded ? "Forwarded" : "X-Forwarded-For";
        var current = peer;
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            var entry = useForwarded ? ForValueOf(hops[i]) : hops[i];
            if (entry is null || !TryParseHop(entry, out var hop))
            {
                return ClientAddress.Unknown($"the {headerName} entry '{Truncate(hops[i])}' from trusted proxy {current} is not an address");
            }
            if (!trusted.Contains(hop))
            {
                return ClientAddress.Known(hop);
            }
            current = hop;
        }
        // Every hop was a trusted proxy (or there were none): the left-most is the origin.
        return ClientAddress.Known(current);
    }

    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string[] SplitHops(string? value) =>
        value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>The <c>for=</c> parameter of one Forwarded element, unquoted; null when absent.</summary>
    private static string? ForValueOf(string element)
    {
        foreach (var pair in element.Split(';'))
        {
            var trimmed = pair.Trim();
            if (trimmed.StartsWith("for=", StringComparison.OrdinalIgnoreCase))
            {
                return trimmed[4..].Trim('"');
            }
        }
        return null;
    }

    /// <summary>
    /// Accepts <c>1.2.3.4</c>, <c>1.2.3.4:port</c>, <c>2001:db8::1</c>, <c>[2001:db8::1]</c> and
    /// <c>[2001:db8::1]:port</c>. Rejects everything else, including the shorthand IPv4 forms
    /// (<c>1</c>, <c>0x7f.1</c>) that IPAddress.TryParse would accept.
    /// </summary>
    internal static bool TryParseHop(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var span = text.AsSpan();
        if (span.StartsWith("["))
        {
            var close = span.IndexOf(']');
            if (close < 0 || (close + 1 < span.Length && !IsPortSuffix(span[(close + 1)..])))
            {
                return false;
            }
            span = span[1..close];
            return IPAddress.TryParse(span, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6 && Finish(ref address);
        }
        if (span.Count(':') > 1)
        {
            return IPAddress.TryParse(span, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6 && Finish(ref address);
        }
        var colon = span.IndexOf(':');
        if (colon >= 0)
        {
            if (!IsPortSuffix(span[colon..]))
            {
                return false;
            }
            span = span[..colon];
        }
        return IsDottedQuad(span) && IPAddress.TryParse(span, out address!) && Finish(ref address);
    }

    private static bool Finish(ref IPAddress address)
    {
        address = Normalize(address);
        return true;
    }

    private static bool IsPortSuffix(ReadOnlySpan<char> suffix) =>
        suffix.Length is > 1 and <= 6 && suffix[0] == ':' && suffix[1..].ContainsAnyExceptInRange('0', '9') is false;

    private static bool IsDottedQuad(ReadOnlySpan<char> span)
    {
        var parts = 0;
        foreach (var range in span.Split('.'))
        {
            var part = span[range];
            if (part.Length is 0 or > 3 || part.ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }
            parts++;
        }
        return parts == 4;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
