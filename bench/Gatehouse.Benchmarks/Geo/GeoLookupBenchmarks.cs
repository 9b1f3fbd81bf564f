using System.Net;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using Gatehouse.Engine.Geo;
using MaxMind.Db;

namespace Gatehouse.Benchmarks.Geo;

/// <summary>
/// Layer 1's lookup, once per data-plane request, against the bundled data. The baseline is the
/// plain MaxMind.Db reader on the same country database, decoding the one field it holds into a
/// small record, which is how an application would use the reader directly. Gatehouse answers
/// more (country and network type, from the database, both ASN files and the network list).
/// Each invocation looks up 1,024 fixed addresses of one family, so the figures are per lookup
/// and spread over the table rather than one hot path; how the addresses are drawn matters for
/// IPv6, whose dense blocks hold tens of thousands of ranges each.
/// </summary>
[MemoryDiagnoser]
public class GeoLookupBenchmarks
{
    private const int AddressCount = 1024;
    private const string CountryDatabase = "geoip/node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb";

    private IPAddress[] _addresses = [];
    private GeoIpData _data = null!;
    private Reader _reader = null!;

    public enum IpFamily
    {
        IPv4,
        IPv6,
    }

    /// <summary>How the addresses are drawn from the database's networks.</summary>
    public enum AddressSampling
    {
        /// <summary>
        /// Each listed network equally likely, whatever its size: dense blocks, where providers
        /// hand out many small networks, are drawn as often as their share of networks.
        /// </summary>
        PerNetwork,

        /// <summary>Each address equally likely (IPv6: within 2000::/3): large allocations dominate.</summary>
        PerAddress,
    }

    [Params(IpFamily.IPv4, IpFamily.IPv6)]
    public IpFamily Family { get; set; }

    [Params(AddressSampling.PerNetwork, AddressSampling.PerAddress)]
    public AddressSampling Sampling { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var root = RepositoryRoot.Path;
        var database = Path.Combine(root, CountryDatabase);
        if (!File.Exists(database))
        {
            throw new InvalidOperationException($"{database} is missing; fetch the bundled data first: (cd geoip && npm ci --no-audit --no-fund)");
        }
        var asn = Path.Combine(root, "geoip/node_modules/@ip-location-db/asn");
        _data = GeoIpLoader.Load(new GeoIpSources(
            [database],
            [Path.Combine(asn, "asn-ipv4.csv"), Path.Combine(asn, "asn-ipv6.csv")],
            Path.Combine(root, "geoip/networks.csv"),
            TorExitList: null));
        // In memory, as Gatehouse's own loader reads it (the default maps the file).
        _reader = new Reader(database, FileAccessMode.Memory);
        _addresses = Sampling == AddressSampling.PerNetwork ? PickPerNetwork(_reader, Family) : PickPerAddress(_reader, Family);

        // A benchmark of wrong answers is worthless: both must place every address in the same country.
        foreach (var address in _addresses)
        {
            var expected = _reader.Find<CountryRecord>(address)?.CountryCode;
            var located = _data.Locate(address);
            if (located.Country != expected || located.NetworkType == NetworkType.Unknown)
            {
                throw new InvalidOperationException($"{address}: the reader says {expected}, Gatehouse {located.Country} ({located.NetworkTypeName}).");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _reader.Dispose();

    /// <summary>The plain reader: walks the database's search tree, then decodes the record.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = AddressCount)]
    public int MaxMindReaderFind()
    {
        var found = 0;
        foreach (var address in _addresses)
        {
            if (_reader.Find<CountryRecord>(address) is { CountryCode: not null })
            {
                found++;
            }
        }
        return found;
    }

    /// <summary>Gatehouse's range table: country and network type of a shared, prebuilt answer.</summary>
    [Benchmark(OperationsPerInvoke = AddressCount)]
    public int GeoIpDataLocate()
    {
        var found = 0;
        foreach (var address in _addresses)
        {
            var location = _data.Locate(address);
            if (location.Country is not null && location.NetworkType != NetworkType.Unknown)
            {
                found++;
            }
        }
        return found;
    }

    /// <summary>Addresses in networks the database lists, each network equally likely. Fixed seed: every run looks up the same addresses.</summary>
    private static IPAddress[] PickPerNetwork(Reader reader, IpFamily family)
    {
        var networks = new List<(IPAddress Start, int PrefixLength)>();
        foreach (var node in reader.FindAll<Dictionary<string, object>>())
        {
            // The IPv6 tree aliases IPv4 at ::ffff:0:0/96 (and ::/96); those addresses are IPv4's, not IPv6's.
            var start = node.Start;
            var isV4 = start.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
            if (start.IsIPv4MappedToIPv6 || (!isV4 && IsIPv4Compatible(start)))
            {
                continue;
            }
            if (isV4 == (family == IpFamily.IPv4))
            {
                networks.Add((start, node.PrefixLength));
            }
        }
        if (networks.Count == 0)
        {
            throw new InvalidOperationException($"The database lists no {family} networks.");
        }

        var random = new Random(42);
        var addresses = new IPAddress[AddressCount];
        var picked = 0;
        while (picked < AddressCount)
        {
            var (start, prefixLength) = networks[random.Next(networks.Count)];
            var address = RandomAddressIn(random, start, prefixLength);
            if (reader.Find<CountryRecord>(address) is { CountryCode: not null })
            {
                addresses[picked++] = address;
            }
        }
        return addresses;
    }

    /// <summary>Random addresses of the family that the database places in a country. Fixed seed.</summary>
    private static IPAddress[] PickPerAddress(Reader reader, IpFamily family)
    {
        var space = family == IpFamily.IPv4 ? (Start: IPAddress.Any, PrefixLength: 0) : (Start: IPAddress.Parse("2000::"), PrefixLength: 3);
        var random = new Random(42);
        var addresses = new IPAddress[AddressCount];
        var picked = 0;
        while (picked < AddressCount)
        {
            var address = RandomAddressIn(random, space.Start, space.PrefixLength);
            if (reader.Find<CountryRecord>(address) is { CountryCode: not null })
            {
                addresses[picked++] = address;
            }
        }
        return addresses;
    }

    private static IPAddress RandomAddressIn(Random random, IPAddress start, int prefixLength)
    {
        var bytes = start.GetAddressBytes();
        var hostBits = bytes.Length * 8 - prefixLength;
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var offset = hostBits == 0 ? BigInteger.Zero : RandomBits(random, hostBits);
        var result = (value + offset).ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[bytes.Length];
        result.CopyTo(padded, padded.Length - result.Length);
        return new IPAddress(padded);
    }

    private static BigInteger RandomBits(Random random, int bits)
    {
        var buffer = new byte[(bits + 7) / 8];
        random.NextBytes(buffer);
        var value = new BigInteger(buffer, isUnsigned: true);
        return value & ((BigInteger.One << bits) - 1);
    }

    private static bool IsIPv4Compatible(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
    }

    /// <summary>What the bundled country database holds per network: <c>{"country_code": "US"}</c>.</summary>
    public sealed class CountryRecord
    {
        [Constructor]
        public CountryRecord([MapKey("country_code")] string? countryCode) => CountryCode = countryCode;

        public string? CountryCode { get; }
    }
}
