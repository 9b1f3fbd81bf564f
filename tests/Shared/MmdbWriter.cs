using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Gatehouse.Tests;

/// <summary>
/// Writes small MaxMind DB files (format 2.0, IPv6 tree, 24-bit records) so tests can exercise
/// database kinds that are not freely available: city databases with subdivisions, ASN and
/// anonymous-IP databases. Only the value types and sizes those databases use are supported.
/// </summary>
internal sealed class MmdbWriter(string databaseType)
{
    private const long Empty = -1;
    private readonly List<long[]> _nodes = [[Empty, Empty]];
    private readonly List<byte[]> _records = [];

    /// <summary>Maps a network to a record: a dictionary of strings, numbers, booleans, nested dictionaries and lists.</summary>
    public MmdbWriter Add(string cidr, Dictionary<string, object> record)
    {
        var network = IPNetwork.Parse(cidr);
        var bytes = new byte[16];
        var prefix = network.PrefixLength;
        if (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            network.BaseAddress.GetAddressBytes().CopyTo(bytes, 12);
            prefix += 96;
        }
        else
        {
            network.BaseAddress.GetAddressBytes().CopyTo(bytes, 0);
        }
        var data = -2L - _records.Count;
        _records.Add(Encode(record));
        var node = 0;
        for (var bit = 0; bit < prefix; bit++)
        {
            var side = (bytes[bit / 8] >> (7 - (bit % 8))) & 1;
            if (bit == prefix - 1)
            {
                _nodes[node][side] = data;
                break;
            }
            if (_nodes[node][side] < 0)
            {
                _nodes.Add([Empty, Empty]);
                _nodes[node][side] = _nodes.Count - 1;
            }
            node = (int)_nodes[node][side];
        }
        return this;
    }

    public void Save(string path)
    {
        var offsets = new long[_records.Count];
        for (var i = 1; i < _records.Count; i++)
        {
            offsets[i] = offsets[i - 1] + _records[i - 1].Length;
        }
        var nodeCount = _nodes.Count;
        using var output = new MemoryStream();
        Span<byte> record = stackalloc byte[4];
        foreach (var node in _nodes)
        {
            foreach (var value in node)
            {
                var encoded = value switch
                {
                    Empty => nodeCount,
                    >= 0 => value,
                    _ => nodeCount + 16 + offsets[-2 - value],
                };
                BinaryPrimitives.WriteUInt32BigEndian(record, (uint)encoded);
                output.Write(record[1..]);
            }
        }
        output.Write(new byte[16]);
        foreach (var data in _records)
        {
            output.Write(data);
        }
        output.Write([0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8]);
        output.Write(Encode(new Dictionary<string, object>
        {
            ["node_count"] = (uint)nodeCount,
            ["record_size"] = (ushort)24,
            ["ip_version"] = (ushort)6,
            ["database_type"] = databaseType,
            ["languages"] = new List<object>(),
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = 1_800_000_000UL,
            ["description"] = new Dictionary<string, object> { ["en"] = "Gatehouse test database" },
        }));
        File.WriteAllBytes(path, output.ToArray());
    }

    private static byte[] Encode(object value)
    {
        var output = new List<byte>();
        Write(output, value);
        return [.. output];
    }

    private static void Write(List<byte> output, object value)
    {
        switch (value)
        {
            case string text:
                var utf8 = Encoding.UTF8.GetBytes(text);
                Control(output, 2, utf8.Length);
                output.AddRange(utf8);
                break;
            case ushort number:
                Unsigned(output, 5, number);
                break;
            case uint number:
                Unsigned(output, 6, number);
                break;
            case ulong number:
                Unsigned(output, 9, number);
                break;
            case bool flag:
                Control(output, 14, flag ? 1 : 0);
                break;
            case Dictionary<string, object> map:
                Control(output, 7, map.Count);
                foreach (var (key, item) in map)
                {
                    Write(output, key);
                    Write(output, item);
                }
                break;
            case List<object> list:
                Control(output, 11, list.Count);
                foreach (var item in list)
                {
                    Write(output, item);
                }
                break;
            default:
                throw new ArgumentException($"MmdbWriter cannot encode {value.GetType()}");
        }
    }

    private static void Unsigned(List<byte> output, int type, ulong number)
    {
        var bytes = new List<byte>();
        for (; number > 0; number >>= 8)
        {
            bytes.Insert(0, (byte)number);
        }
        Control(output, type, bytes.Count);
        output.AddRange(bytes);
    }

    /// <summary>The control byte (type in the top three bits, extended types in a second byte), then the size.</summary>
    private static void Control(List<byte> output, int type, int size)
    {
        if (size >= 29 + 256)
        {
            throw new ArgumentException("MmdbWriter writes sizes below 285 only");
        }
        output.Add((byte)(((type <= 7 ? type : 0) << 5) | Math.Min(size, 29)));
        if (type > 7)
        {
            output.Add((byte)(type - 7));
        }
        if (size >= 29)
        {
            output.Add((byte)(size - 29));
        }
    }
}
