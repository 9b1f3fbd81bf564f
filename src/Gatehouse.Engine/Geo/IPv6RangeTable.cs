namespace Gatehouse.Engine.Geo;

/// <summary>
/// IPv6 ranges, searched by the top 64 bits of their starts. Registries allocate IPv6 in a few
/// dense blocks (tens of thousands of ranges under one /16), where a plain binary search costs a
/// cache miss per step. So the index goes two levels deep: the top 16 bits pick a bucket, and a
/// crowded bucket has a second index over the next 12 bits, leaving a handful of ranges to search.
/// Ranges that start inside a /64 are rare and settled by a second search over the low 64 bits.
/// </summary>
internal sealed class IPv6RangeTable
{
    private const int TopBits = 16;
    private const int SecondBits = 12;
    private const int SecondShift = 64 - TopBits - SecondBits;
    private const int CrowdedBucket = 64;

    private readonly ulong[] _highs;
    private readonly ulong[] _lows;
    private readonly int[] _values;
    private readonly int[] _runStarts;
    private readonly int[] _buckets;
    private readonly int[]?[] _subBuckets;

    /// <param name="starts">Ascending range starts; the first is 0, each range ends where the next starts.</param>
    /// <param name="values">The value of each range.</param>
    public IPv6RangeTable(UInt128[] starts, int[] values)
    {
        if (starts.Length == 0 || starts[0] != UInt128.Zero || starts.Length != values.Length)
        {
            throw new ArgumentException("ranges must start at address 0 and have one value each", nameof(starts));
        }
        _highs = [.. starts.Select(s => (ulong)(s >> 64))];
        _lows = [.. starts.Select(s => (ulong)s)];
        _values = values;
        _runStarts = new int[_highs.Length];
        for (var i = 1; i < _highs.Length; i++)
        {
            _runStarts[i] = _highs[i] == _highs[i - 1] ? _runStarts[i - 1] : i;
        }

        // Each entry is the range holding the first address of its bucket, so every address in the
        // bucket lies in a range between that entry and the next one.
        _buckets = Index(0, TopBits, 64 - TopBits, 0, _highs.Length - 1);
        _subBuckets = new int[]?[1 << TopBits];
        for (var bucket = 0; bucket < 1 << TopBits; bucket++)
        {
            if (_buckets[bucket + 1] - _buckets[bucket] > CrowdedBucket)
            {
                _subBuckets[bucket] = Index((ulong)bucket << (64 - TopBits), SecondBits, SecondShift, _buckets[bucket], _buckets[bucket + 1]);
            }
        }
    }

    public int Count => _highs.Length;

    public int Find(UInt128 address)
    {
        var high = (ulong)(address >> 64);
        var bucket = (int)(high >> (64 - TopBits));
        int first, last;
        if (_subBuckets[bucket] is { } subBuckets)
        {
            var subBucket = (int)(high >> SecondShift) & ((1 << SecondBits) - 1);
            (first, last) = (subBuckets[subBucket], subBuckets[subBucket + 1]);
        }
        else
        {
            (first, last) = (_buckets[bucket], _buckets[bucket + 1]);
        }
        var index = SortedKeys.LastAtOrBelow(_highs, first, last, high);
        var low = (ulong)address;
        if (_highs[index] == high && _lows[index] > low)
        {
            // The address's /64 holds several ranges and it lies before the last of them: it is in
            // the last of them starting at or below it, or in the range before the /64's first.
            var runStart = _runStarts[index];
            index = _lows[runStart] > low ? runStart - 1 : SortedKeys.LastAtOrBelow(_lows, runStart, index, low);
        }
        return _values[index];
    }

    /// <summary>For each of 2^bits blocks after <paramref name="origin"/>, the range holding the block's first address; one more entry closes the last block.</summary>
    private int[] Index(ulong origin, int bits, int shift, int from, int to)
    {
        var index = new int[(1 << bits) + 1];
        var range = from;
        for (var block = 0; block < 1 << bits; block++)
        {
            var blockStart = origin + ((ulong)block << shift);
            while (range < to && _highs[range + 1] <= blockStart)
            {
                range++;
            }
            index[block] = range;
        }
        index[^1] = to;
        return index;
    }
}
