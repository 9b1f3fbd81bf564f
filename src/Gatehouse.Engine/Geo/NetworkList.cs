using System.Collections.Frozen;
using System.Globalization;

namespace Gatehouse.Engine.Geo;

/// <summary>
/// The operator-editable list of autonomous systems that are hosting providers or VPN networks
/// (<c>asn,type,name</c> per line, <c>#</c> comments), which decides the network type of every
/// address the ASN data places in one of them.
/// </summary>
public sealed class NetworkList
{
    public static NetworkList Empty { get; } = new(FrozenDictionary<uint, ListedNetwork>.Empty);

    private readonly FrozenDictionary<uint, ListedNetwork> _byAsn;

    private NetworkList(FrozenDictionary<uint, ListedNetwork> byAsn) => _byAsn = byAsn;

    public int Count => _byAsn.Count;

    public ListedNetwork? Find(uint asn) => asn != 0 && _byAsn.TryGetValue(asn, out var network) ? network : null;

    public static NetworkList Parse(string path)
    {
        var entries = new Dictionary<uint, ListedNetwork>();
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(path))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line == "asn,type,name")
            {
                continue;
            }
            var fields = line.Split(',', 3, StringSplitOptions.TrimEntries);
            if (fields.Length != 3)
            {
                throw new GeoDataException($"{path}:{lineNumber}: expected 'asn,type,name', found '{line}'");
            }
            var asnText = fields[0].StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? fields[0][2..] : fields[0];
            if (!uint.TryParse(asnText, NumberStyles.None, CultureInfo.InvariantCulture, out var asn) || asn == 0)
            {
                throw new GeoDataException($"{path}:{lineNumber}: '{fields[0]}' is not an AS number");
            }
            if (!NetworkTypes.TryParse(fields[1], out var type) || type is not (NetworkType.Hosting or NetworkType.Vpn))
            {
                throw new GeoDataException($"{path}:{lineNumber}: type '{fields[1]}' is not hosting or vpn");
            }
            if (!entries.TryAdd(asn, new ListedNetwork(type, fields[2])))
            {
                throw new GeoDataException($"{path}:{lineNumber}: AS{asn} is listed twice");
            }
        }
        return new NetworkList(entries.ToFrozenDictionary());
    }
}

/// <param name="Type">The network type every address of the ASN gets.</param>
/// <param name="Name">The operator's name for the network.</param>
public sealed record ListedNetwork(NetworkType Type, string Name);
