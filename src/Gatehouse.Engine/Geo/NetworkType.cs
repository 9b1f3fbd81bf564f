namespace Gatehouse.Engine.Geo;

/// <summary>What kind of network an address belongs to, as far as the loaded lists tell.</summary>
public enum NetworkType
{
    Unknown,
    Residential,
    Hosting,
    Vpn,
    Tor,
    Private,
}

public static class NetworkTypes
{
    /// <summary>The name used in configuration, traces, APIs and the network list: <c>residential</c>, <c>vpn</c>, …</summary>
    public static string NameOf(NetworkType type) => type switch
    {
        NetworkType.Residential => "residential",
        NetworkType.Hosting => "hosting",
        NetworkType.Vpn => "vpn",
        NetworkType.Tor => "tor",
        NetworkType.Private => "private",
        _ => "unknown",
    };

    public static bool TryParse(string? name, out NetworkType type)
    {
        type = name switch
        {
            "residential" => NetworkType.Residential,
            "hosting" => NetworkType.Hosting,
            "vpn" => NetworkType.Vpn,
            "tor" => NetworkType.Tor,
            "private" => NetworkType.Private,
            _ => NetworkType.Unknown,
        };
        return type != NetworkType.Unknown;
    }
}
