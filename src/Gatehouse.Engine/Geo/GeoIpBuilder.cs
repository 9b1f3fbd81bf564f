using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Engine.Geo;

/// <summary>What a layer of GeoIP data tells about its ranges.</summary>
internal enum GeoField
{
    /// <summary>Country and subdivision.</summary>
    Place,

    /// <summary>Autonomous system number and its organisation.</summary>
    Network,

    /// <summary>A network type that overrides the one derived from the ASN (private, Tor, VPN…).</summary>
    NetworkType,
}

/// <summary>
/// Collects ranges from every source as layers, then flattens them into the two lookup tables.
/// For each field the first layer that covers an address wins, so sources listed first take
/// precedence and later ones fill their gaps. All ranges live in one 128-bit space with IPv4 at
/// <c>::ffff:0:0/96</c>, the same place IPv4-mapped addresses point to.
/// </summary>
internal sealed class GeoIpBuilder
{
    private static readonly UInt128 V4Base = (UInt128)0xFFFF << 32;
    private static readonly UInt128 V4End = V4Base + uint.MaxValue + 1;

    /// <summary>A layer value that says "nothing here" and hides what later layers say.</summary>
    private const int Nothing = -2;
    private const int Unset = -1;

    private readonly List<Layer> _layers = [];
    private readonly List<(string Country, string? Subdivision)> _places = [];
    private readonly Dictionary<(string, string?), int> _placeIndex = [];
    private readonly List<(uint Asn, string? Name)> _networks = [];
    private readonly Dictionary<(uint, string?), int> _networkIndex = [];

    public GeoIpBuilder()
    {
        // Private and loopback ranges come first so no data file can give them a country or an ASN
        // (registry data does list some of them, under whoever registered them long ago).
        var privateType = AddLayer(GeoField.NetworkType);
        var noPlace = AddLayer(GeoField.Place);
        var noNetwork = AddLayer(GeoField.Network);
        foreach (var range in (string[])["10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7", "fe80::/10"])
        {
            var network = IPNetwork.Parse(range);
            var (start, end) = Span(network.BaseAddress, network.PrefixLength);
            privateType.Add(start, end, (int)Geo.NetworkType.Private);
            noPlace.Add(start, end, Nothing);
            noNetwork.Add(start, end, Nothing);
        }
    }

    public Layer AddLayer(GeoField field)
    {
        var layer = new Layer(field);
        _layers.Add(layer);
        return layer;
    }

    public int Place(string country, string? subdivision)
    {
        if (!_placeIndex.TryGetValue((country, subdivision), out var index))
        {
            index = _places.Count;
            _places.Add((string.Intern(country), subdivision));
            _placeIndex.Add((country, subdivision), index);
        }
        return index;
    }

    public int Network(uint asn, string? name)
    {
        if (!_networkIndex.TryGetValue((asn, name), out var index))
        {
            index = _networks.Count;
            _networks.Add((asn, name));
            _networkIndex.Add((asn, name), index);
        }
        return index;
    }

    /// <summary>The first and last address of a network in the shared 128-bit space.</summary>
    public static (UInt128 Start, UInt128 End) Span(IPAddress address, int prefixLength)
    {
        var start = ToSpace(address);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var hostBits = bits - prefixLength;
        var last = hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return (start & ~last, (start & ~last) | last);
    }

    public static UInt128 ToSpace(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? V4Base | BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static bool IsIPv4Space(UInt128 address) => address >= V4Base && address < V4End;

    public GeoIpData Build(NetworkList networkList, IReadOnlyList<string> sources)
    {
        var layers = _layers.Select(l => l.Normalized()).ToArray();
        var points = new List<UInt128> { UInt128.Zero, V4Base, V4End };
        foreach (var layer in layers)
        {
            foreach (var range in layer)
            {
                points.Add(range.Start);
                if (range.End != UInt128.MaxValue)
                {
                    points.Add(range.End + 1);
                }
            }
        }
        points.Sort();

        var records = new Records(this, networkList);
        var v4Starts = new List<uint>();
        var v4Values = new List<int>();
        var v6Starts = new List<UInt128>();
        var v6Values = new List<int>();
        var cursors = new int[layers.Length];
        var fields = layers.Select(l => l.Field).ToArray();
        UInt128? previous = null;
        foreach (var point in points)
        {
            if (point == previous)
            {
                continue;
            }
            previous = point;
            int place = Unset, network = Unset, type = Unset;
            for (var i = 0; i < layers.Length; i++)
            {
                var ranges = layers[i];
                while (cursors[i] < ranges.Count && ranges[cursors[i]].End < point)
                {
                    cursors[i]++;
                }
                if (cursors[i] == ranges.Count || ranges[cursors[i]].Start > point)
                {
                    continue;
                }
                var value = ranges[cursors[i]].Value;
                switch (fields[i])
                {
                    case GeoField.Place when place == Unset: place = value; break;
                    case GeoField.Network when network == Unset: network = value; break;
                    case GeoField.NetworkType when type == Unset: type = value; break;
                }
            }
            var record = records.IndexOf(place, network, type);
            if (IsIPv4Space(point))
            {
                Append(v4Starts, v4Values, (uint)(point - V4Base), record);
                if (point == V4Base)
                {
                    // IPv4 addresses are looked up in their own table; this stretch of the IPv6 table is never read.
                    Append(v6Starts, v6Values, point, -1);
                }
            }
            else
            {
                Append(v6Starts, v6Values, point, record);
            }
        }

        return new GeoIpData(
            new RangeTable<uint>([.. v4Starts], [.. v4Values]),
            new IPv6RangeTable([.. v6Starts], [.. v6Values]),
            records.All,
            sources,
            hasCountries: _places.Count > 0,
            hasSubdivisions: _places.Any(p => p.Subdivision is not null));
    }

    private static void Append<TAddress>(List<TAddress> starts, List<int> values, TAddress start, int value)
    {
        if (values.Count == 0 || values[^1] != value)
        {
            starts.Add(start);
            values.Add(value);
        }
    }

    /// <summary>One shared <see cref="GeoLocation"/> per distinct answer.</summary>
    private sealed class Records(GeoIpBuilder builder, NetworkList networkList)
    {
        private readonly Dictionary<(int, int, int), int> _index = [];

        public List<GeoLocation> All { get; } = [];

        public int IndexOf(int place, int network, int type)
        {
            (place, network) = (Math.Max(place, Unset), Math.Max(network, Unset));
            if (place < 0 && network < 0 && type < 0)
            {
                return -1;
            }
            if (!_index.TryGetValue((place, network, type), out var index))
            {
                index = All.Count;
                All.Add(Create(place, network, type));
                _index.Add((place, network, type), index);
            }
            return index;
        }

        private GeoLocation Create(int place, int network, int type)
        {
            var (asn, name) = network >= 0 ? builder._networks[network] : (0u, null);
            var listed = networkList.Find(asn);
            var networkType = type >= 0 ? (NetworkType)type : listed?.Type ?? NetworkType.Residential;
            string? country = null, subdivision = null;
            if (place >= 0)
            {
                (country, subdivision) = builder._places[place];
            }
            var note = country is not null ? null
                : networkType == NetworkType.Private ? "it is a private or loopback address"
                : "the GeoIP data has no country for it";
            return new GeoLocation(country, networkType, note)
            {
                Subdivision = subdivision,
                Asn = asn,
                NetworkName = name ?? listed?.Name,
            };
        }
    }

    internal readonly record struct Range(UInt128 Start, UInt128 End, int Value);

    /// <summary>The ranges one source gives for one field.</summary>
    internal sealed class Layer(GeoField field) : List<Range>
    {
        public GeoField Field { get; } = field;

        public void Add(UInt128 start, UInt128 end, int value) => Add(new Range(start, end, value));

        /// <summary>Sorted, without overlaps (the earlier range keeps the overlap), neighbours with one value joined.</summary>
        public Layer Normalized()
        {
            Sort((a, b) => a.Start.CompareTo(b.Start));
            var result = new Layer(Field);
            foreach (var range in this)
            {
                var current = range;
                if (result.Count > 0)
                {
                    var last = result[^1];
                    if (current.End <= last.End)
                    {
                        continue;
                    }
                    if (current.Start <= last.End)
                    {
                        current = current with { Start = last.End + 1 };
                    }
                    if (current.Start == last.End + 1 && current.Value == last.Value)
                    {
                        result[^1] = last with { End = current.End };
                        continue;
                    }
                }
                result.Add(current);
            }
            return result;
        }
    }
}
