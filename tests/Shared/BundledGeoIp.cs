namespace Gatehouse.Tests;

/// <summary>The GeoIP data test.sh fetches into geoip/ (the same files ./run.sh gives the gateway).</summary>
internal static class BundledGeoIp
{
    private static string Packages => Path.Combine(RepositoryRoot.Path, "geoip", "node_modules", "@ip-location-db");

    public static string CountryDatabase => Path.Combine(Packages, "geo-whois-asn-country-mmdb", "geo-whois-asn-country.mmdb");
    public static string CountryDatabaseIPv4Only => Path.Combine(Packages, "geo-whois-asn-country-mmdb", "geo-whois-asn-country-ipv4.mmdb");
    public static string AsnIPv4 => Path.Combine(Packages, "asn", "asn-ipv4.csv");
    public static string AsnIPv6 => Path.Combine(Packages, "asn", "asn-ipv6.csv");
    public static string NetworkList => Path.Combine(RepositoryRoot.Path, "geoip", "networks.csv");

    /// <summary>A <c>geo</c> section over the bundled data; <paramref name="more"/> adds indented lines.</summary>
    public static string Section(string? torExitList = null, string more = "") => $"""
        geo:
          databases: ["{CountryDatabase}"]
          asnRanges: ["{AsnIPv4}", "{AsnIPv6}"]
          networkList: "{NetworkList}"
        {(torExitList is null ? "" : $"  torExitList: \"{torExitList}\"")}
        {more}
        """;
}
