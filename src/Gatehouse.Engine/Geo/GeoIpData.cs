using System.Buffers.Binary;
using System.Net;

namespace Gatehouse.Engine.Geo;

/// <summary>
/// One loaded generation of GeoIP data, immutable: a reload builds a new instance and swaps it
/// in, so a request in flight keeps answering from the one it started with.
/// </summary>
public sealed class GeoIpData : IGeoLocator
{
    private readonly GeoLocation _notInData;
    private readonly RangeTable<uint> _v4;
    private readonly IPv6RangeTable _v6;
    private readonly GeoLocation[] _records;

    internal GeoIpData(RangeTable<uint> v4, IPv6RangeTable v6, IEnumerable<GeoLocation> records, IReadOnlyList<string> sources, bool hasCountries, bool hasSubdivisions)
    {
        _notInData = GeoLocation.Unknown(sources.Count == 0 ? "no GeoIP data is loaded" : "the address is not in the GeoIP data");
        _v4 = v4;
        _v6 = v6;
        _records = [.. records];
        Sources = sources;
        HasCountries = hasCountries;
        HasSubdivisions = hasSubdivisions;
    }

    /// <summary>No data files: only private and loopback ranges are recognised.</summary>
    public static GeoIpData Empty { get; } = new GeoIpBuilder().Build(NetworkList.Empty, []);

    /// <summary>What was loaded, one line per source, for the log.</summary>
    public IReadOnlyList<string> Sources { get; }

    public bool HasCountries { get; }

    /// <summary>Whether any source places addresses in subdivisions, which region-level jurisdiction entries need.</summary>
    public bool HasSubdivisions { get; }

    public int RangeCount => _v4.Count + _v6.Count;

    public GeoLocation Locate(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return _notInData;
        }
        int index;
        if (written == 4)
        {
            index = _v4.Find(BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }
        else if (address.IsIPv4MappedToIPv6)
        {
            index = _v4.Find(BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        }
        else
        {
            index = _v6.Find(BinaryPrimitives.ReadUInt128BigEndian(bytes));
        }
        return index < 0 ? _notInData : _records[index];
    }
}
