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
    public static GeoLocation Unknown(string note) => new(null, NetworkType.Unknown, note);
}
