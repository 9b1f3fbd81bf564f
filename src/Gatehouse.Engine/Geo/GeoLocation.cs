namespace Gatehouse.Engine.Geo;

/// <summary>
/// Where an address is, as far as the loaded data can tell. Instances are shared between all
/// addresses with the same answer, so a lookup hands out an existing object and allocates nothing.
/// </summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, or null when unknown.</param>
/// <param name="NetworkType">The kind of network the address belongs to.</param>
/// <param name="Note">Why the country is unknown, for messages and traces; null when known.</param>
public sealed record GeoLocation(string? Country, NetworkType NetworkType, string? Note)
{
    /// <summary>ISO 3166-2 code of the first-level subdivision (e.g. <c>UA-43</c>), when a database with subdivisions placed it.</summary>
    public string? Subdivision { get; init; }

    /// <summary>Autonomous system number, 0 when unknown.</summary>
    public uint Asn { get; init; }

    /// <summary>The organisation the autonomous system belongs to, as the data names it.</summary>
    public string? NetworkName { get; init; }

    /// <summary>The network type as written in traces, APIs and configuration: <c>residential</c>, <c>vpn</c>, …</summary>
    public string NetworkTypeName => NetworkTypes.NameOf(NetworkType);

    public static GeoLocation Unknown(string note) => new(null, NetworkType.Unknown, note);
}
