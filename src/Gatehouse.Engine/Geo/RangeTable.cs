using System.Numerics;

namespace Gatehouse.Engine.Geo;

/// <summary>
/// Contiguous address ranges covering the whole address space, each mapped to a value (−1 for
/// "not in the data"). A lookup jumps by the top 16 bits of the address to a short run of ranges
/// and binary-searches only that run, so it touches a few cache lines and allocates nothing.
/// </summary>
internal sealed class RangeTable<TAddress>
    where TAddress : unmanaged, IBinaryInteger<TAddress>, IUnsignedNumber<TAddress>
{
    private const int BucketBits = 16;

    private readonly TAddress[] _starts;
    private readonly int[] _values;
    private readonly int[] _buckets;
    private readonly int _shift;

    /// <param name="starts">Ascending range starts; the first is 0, each range ends where the next starts.</param>
    /// <param name="values">The value of each range.</param>
    public RangeTable(TAddress[] starts, int[] values)
    {
        if (starts.Length == 0 || starts[0] != TAddress.Zero || starts.Length != values.Length)
        {
            throw new ArgumentException("ranges must start at address 0 and have one value each", nameof(starts));
        }
        _starts = starts;
        _values = values;
        _shift = int.CreateTruncating(TAddress.PopCount(TAddress.AllBitsSet)) - BucketBits;

        // _buckets[b] is the range holding the first address of bucket b, so every address in the
        // bucket lies in a range between _buckets[b] and _buckets[b + 1].
        _buckets = new int[(1 << BucketBits) + 1];
        var range = 0;
        for (var bucket = 0; bucket < 1 << BucketBits; bucket++)
        {
            var first = TAddress.CreateTruncating(bucket) << _shift;
            while (range + 1 < starts.Length && starts[range + 1] <= first)
            {
                range++;
            }
            _buckets[bucket] = range;
        }
        _buckets[^1] = starts.Length - 1;
    }

    public int Count => _starts.Length;

    public int Find(TAddress address)
    {
        var bucket = int.CreateTruncating(address >>> _shift);
        return _values[SortedKeys.LastAtOrBelow(_starts, _buckets[bucket], _buckets[bucket + 1], address)];
    }
}

internal static class SortedKeys
{
    /// <summary>The last index in [low, high] of ascending keys whose key is at or below the value; the key at low must be.</summary>
    public static int LastAtOrBelow<TKey>(TKey[] keys, int low, int high, TKey value)
        where TKey : unmanaged, IBinaryInteger<TKey>
    {
        while (low < high)
        {
            var middle = (low + high + 1) >>> 1;
            if (keys[middle] <= value)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        return low;
    }
}
