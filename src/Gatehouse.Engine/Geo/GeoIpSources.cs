namespace Gatehouse.Engine.Geo;

/// <summary>The files GeoIP data is built from, as absolute paths, in the order they take precedence.</summary>
/// <param name="Databases">MaxMind-format databases: country, city, ASN or anonymous-IP, in any mix.</param>
/// <param name="AsnRanges">ASN range files in the <c>@ip-location-db/asn</c> CSV layout.</param>
/// <param name="NetworkList">The curated list of hosting and VPN autonomous systems.</param>
/// <param name="TorExitList">Tor exit addresses, one per line.</param>
public sealed record GeoIpSources(IReadOnlyList<string> Databases, IReadOnlyList<string> AsnRanges, string? NetworkList, string? TorExitList)
{
    public static GeoIpSources None { get; } = new([], [], null, null);

    public bool IsEmpty => Files.Count == 0;

    public IReadOnlyList<string> Files =>
        [.. TorExitList is null ? [] : new[] { TorExitList }, .. Databases, .. AsnRanges, .. NetworkList is null ? [] : new[] { NetworkList }];

    public bool Equals(GeoIpSources? other) =>
        other is not null && Databases.SequenceEqual(other.Databases, StringComparer.Ordinal) && AsnRanges.SequenceEqual(other.AsnRanges, StringComparer.Ordinal) &&
        NetworkList == other.NetworkList && TorExitList == other.TorExitList;

    public override int GetHashCode() => HashCode.Combine(Databases.Count, AsnRanges.Count, NetworkList, TorExitList);
}
