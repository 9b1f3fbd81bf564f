using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Gatehouse.Engine.Configuration;

/// <summary>An address a listener binds, written as <c>http://host:port</c>.</summary>
public sealed partial record ListenAddress(string Host, int Port)
{
    /// <summary>The address to bind; <c>*</c> binds every interface, IPv4 and IPv6.</summary>
    public IPAddress BindAddress => Host switch
    {
        "*" or "+" => IPAddress.IPv6Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.Parse(Host),
    };

    public bool IsWildcard => BindAddress.Equals(IPAddress.Any) || BindAddress.Equals(IPAddress.IPv6Any);

    public override string ToString() => $"http://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";

    public static bool TryParse(string text, [NotNullWhen(true)] out ListenAddress? address, out string error)
    {
        address = null;
        error = "";
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{text}': Gatehouse listens on plain HTTP; terminate TLS in the load balancer or proxy in front of it";
            return false;
        }
        var match = ListenAddressPattern().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is not a listen address; write it as http://HOST:PORT, e.g. http://127.0.0.1:8080";
            return false;
        }
        var host = match.Groups["host"].Value.Trim('[', ']');
        if (host is not ("localhost" or "*" or "+") && !IPAddress.TryParse(host, out _))
        {
            error = $"'{text}': the host must be an IP address, localhost or * (names are not resolved for listening)";
            return false;
        }
        var port = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
        if (port > 65535)
        {
            error = $"'{text}': port {port} is out of range (0-65535)";
            return false;
        }
        address = new ListenAddress(host, port);
        return true;
    }

    [GeneratedRegex(@"^http://(?<host>\[[0-9A-Fa-f:.]+\]|[^:/\[\]]+):(?<port>\d{1,5})/?$", RegexOptions.IgnoreCase)]
    private static partial Regex ListenAddressPattern();
}
