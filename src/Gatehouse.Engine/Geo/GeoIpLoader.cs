using System.Globalization;
using System.Net;
using Gatehouse.Engine.Networking;
using MaxMind.Db;

namespace Gatehouse.Engine.Geo;

/// <summary>
/// Reads every configured source into one <see cref="GeoIpData"/>. Any unreadable source fails
/// the whole load, so a half-read replacement never takes the place of good data.
/// </summary>
public static class GeoIpLoader
{
    public static GeoIpData Load(GeoIpSources sources)
    {
        var builder = new GeoIpBuilder();
        var descriptions = new List<string>();
        var networkList = NetworkList.Empty;
        if (sources.NetworkList is { } listPath)
        {
            networkList = Read(listPath, () => NetworkList.Parse(listPath));
            descriptions.Add($"{listPath}: {networkList.Count} hosting and VPN networks");
        }
        // The Tor list names single exits, so it overrides what any database says of their network.
        if (sources.TorExitList is { } torPath)
        {
            descriptions.Add(Read(torPath, () => ReadTorExits(builder, torPath)));
        }
        foreach (var path in sources.Databases)
        {
            descriptions.Add(Read(path, () => ReadDatabase(builder, path)));
        }
        foreach (var path in sources.AsnRanges)
        {
            descriptions.Add(Read(path, () => ReadAsnRanges(builder, path)));
        }
        return builder.Build(networkList, descriptions);
    }

    private static T Read<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GeoDataException($"{path}: cannot be read: {e.Message}", e);
        }
    }

    private static string ReadDatabase(GeoIpBuilder builder, string path)
    {
        Reader reader;
        try
        {
            reader = new Reader(path, FileAccessMode.Memory);
        }
        catch (InvalidDatabaseException e)
        {
            throw new GeoDataException($"{path}: not a MaxMind database: {e.Message}", e);
        }
        using (reader)
        {
            var places = builder.AddLayer(GeoField.Place);
            var networks = builder.AddLayer(GeoField.Network);
            var types = builder.AddLayer(GeoField.NetworkType);
            var count = 0;
            try
            {
                foreach (var node in reader.FindAll<Dictionary<string, object>>())
                {
                    // Databases alias ::ffff:0:0/96 to their IPv4 tree; the IPv4 nodes themselves are read once.
                    if (node.Start.IsIPv4MappedToIPv6)
                    {
                        continue;
                    }
                    count++;
                    var (start, end) = GeoIpBuilder.Span(node.Start, node.PrefixLength);
                    var data = node.Data;
                    if (CountryOf(data) is { } country)
                    {
                        places.Add(start, end, builder.Place(country, SubdivisionOf(data, country)));
                    }
                    if (AsnOf(data) is > 0 and var asn)
                    {
                        networks.Add(start, end, builder.Network(asn, data.GetValueOrDefault("autonomous_system_organization") as string));
                    }
                    if (AnonymizerOf(data) is { } type)
                    {
                        types.Add(start, end, (int)type);
                    }
                }
            }
            catch (Exception e) when (e is InvalidDatabaseException or InvalidCastException or IndexOutOfRangeException or ArgumentException)
            {
                throw new GeoDataException($"{path}: the database is corrupt: {e.Message}", e);
            }
            var metadata = reader.Metadata;
            if (places.Count + networks.Count + types.Count == 0)
            {
                throw new GeoDataException($"{path}: the {metadata.DatabaseType} database holds no country, ASN or anonymizer fields Gatehouse reads " +
                    "(country_code, country.iso_code, autonomous_system_number, is_anonymous_vpn, is_tor_exit_node, …)");
            }
            return $"{path}: {metadata.DatabaseType} built {metadata.BuildDate:yyyy-MM-dd}, {count} networks";
        }
    }

    private static string? CountryOf(Dictionary<string, object> data)
    {
        var code = data.GetValueOrDefault("country_code") as string
            ?? IsoCode(data.GetValueOrDefault("country"))
            ?? IsoCode(data.GetValueOrDefault("registered_country"));
        return code is not null && Countries.IsKnown(code) ? code : null;
    }

    private static string? SubdivisionOf(Dictionary<string, object> data, string country) =>
        data.GetValueOrDefault("subdivisions") is IList<object> { Count: > 0 } subdivisions && IsoCode(subdivisions[0]) is { } code
            ? $"{country}-{code}"
            : null;

    private static string? IsoCode(object? value) =>
        value is IDictionary<string, object> map && map.TryGetValue("iso_code", out var code) ? code as string : null;

    private static uint AsnOf(Dictionary<string, object> data) => data.GetValueOrDefault("autonomous_system_number") switch
    {
        long number and > 0 and <= uint.MaxValue => (uint)number,
        int number and > 0 => (uint)number,
        ulong number and <= uint.MaxValue => (uint)number,
        uint number => number,
        _ => 0,
    };

    private static NetworkType? AnonymizerOf(Dictionary<string, object> data)
    {
        if (data.GetValueOrDefault("is_tor_exit_node") is true)
        {
            return NetworkType.Tor;
        }
        if (data.GetValueOrDefault("is_anonymous_vpn") is true || data.GetValueOrDefault("is_public_proxy") is true || data.GetValueOrDefault("is_residential_proxy") is true)
        {
            return NetworkType.Vpn;
        }
        return data.GetValueOrDefault("is_hosting_provider") is true ? NetworkType.Hosting : null;
    }

    /// <summary>Lines of <c>first,last,asn,organisation</c> with the organisation optionally quoted.</summary>
    private static string ReadAsnRanges(GeoIpBuilder builder, string path)
    {
        var layer = builder.AddLayer(GeoField.Network);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            var fields = line.Split(',', 4);
            if (fields.Length < 3)
            {
                throw new GeoDataException($"{path}:{lineNumber}: expected 'first address,last address,asn,organisation'");
            }
            // IPAddress.Parse would read a bare number as an IPv4 address; the -num files hold IPv6 numbers too.
            if (fields[0].All(char.IsAsciiDigit))
            {
                throw new GeoDataException($"{path}:{lineNumber}: addresses are written as numbers; use the files with dotted and colon addresses (asn-ipv4.csv, asn-ipv6.csv)");
            }
            if (!IPAddress.TryParse(fields[0], out var first) || !IPAddress.TryParse(fields[1], out var last))
            {
                throw new GeoDataException($"{path}:{lineNumber}: '{fields[0]}' or '{fields[1]}' is not an IP address");
            }
            var (start, end) = (GeoIpBuilder.ToSpace(first), GeoIpBuilder.ToSpace(last));
            if (first.AddressFamily != last.AddressFamily || start > end)
            {
                throw new GeoDataException($"{path}:{lineNumber}: {fields[0]} to {fields[1]} is not a range");
            }
            if (!uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
            {
                throw new GeoDataException($"{path}:{lineNumber}: '{fields[2]}' is not an AS number");
            }
            var organisation = fields.Length == 4 ? Unquote(fields[3]) : null;
            layer.Add(start, end, builder.Network(asn, organisation));
        }
        if (layer.Count == 0)
        {
            throw new GeoDataException($"{path}: holds no ASN ranges");
        }
        return $"{path}: {layer.Count} ASN ranges";
    }

    private static string? Unquote(string field)
    {
        if (field.Length >= 2 && field[0] == '"' && field[^1] == '"')
        {
            field = field[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }
        return field.Length == 0 ? null : string.Intern(field);
    }

    /// <summary>
    /// One address or network per line, as in the Tor Project's bulk exit list; the longer
    /// <c>exit-addresses</c> form (<c>ExitAddress 192.0.2.1 2026-…</c>) is read too.
    /// </summary>
    private static string ReadTorExits(GeoIpBuilder builder, string path)
    {
        var layer = builder.AddLayer(GeoField.NetworkType);
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(path))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("ExitNode ", StringComparison.Ordinal) ||
                line.StartsWith("Published ", StringComparison.Ordinal) || line.StartsWith("LastStatus ", StringComparison.Ordinal))
            {
                continue;
            }
            if (line.StartsWith("ExitAddress ", StringComparison.Ordinal))
            {
                line = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            }
            if (!NetworkSet.TryParseNetwork(line, out var network))
            {
                throw new GeoDataException($"{path}:{lineNumber}: '{line}' is not an IP address");
            }
            var (start, end) = GeoIpBuilder.Span(network.Value.BaseAddress, network.Value.PrefixLength);
            layer.Add(start, end, (int)NetworkType.Tor);
        }
        return $"{path}: {layer.Count} Tor exits";
    }
}
