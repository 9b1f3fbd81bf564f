namespace Gatehouse.Engine.Geo;

public enum NetworkType
{
    Unknown,
    Residential,
    Hosting,
    Vpn,
    Tor,
    Private,
}

/// <summary>Where an address is, as far as the loaded data can tell.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, or null when unknown.</param>
/// <param name="NetworkType">The kind of network the address belongs to.</param>
/// <param name="Note">Why the location is unknown, for messages and traces; null when known.</param>
public sealed record GeoLocation(string? Country, NetworkType NetworkType, string? Note)
{
    /// <summary>The network type as written in traces, APIs and configuration: <c>residential</c>, <c>vpn</c>, …</summary>
    public string NetworkTypeName => NetworkType switch
    {
        NetworkType.Residential => "residential",
        NetworkType.Hosting => "hosting",
        NetworkType.Vpn => "vpn",
        NetworkType.Tor => "tor",
        NetworkType.Private => "private",
        _ => "unknown",
    };

    public static GeoLocation Unknown(string note) => new(null, NetworkType.Unknown, note);
}
