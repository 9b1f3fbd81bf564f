namespace Gatehouse.Engine.Geo;

/// <summary>
/// IPv6 ranges searched by the top 64 bits of their starts. Registries allocate IPv6 in dense
/// blocks (tens of thousands of ranges under one /16), so a lookup is a binary search over memory
/// that is not in cache; 8-byte keys instead of 16-byte ones halve the memory it walks. Ranges
/// that start inside a /64 are rare and settled by a second search over the low 64 bits.
/// </summary>
internal sealed class IPv6RangeTable
{
    private readonly RangeTable<ulong> _byHigh;
    private readonly ulong[] _lows;

    public IPv6RangeTable(UInt128[] starts, int[] values)
    {
        _byHigh = new RangeTable<ulong>([.. starts.Select(s => (ulong)(s >> 64))], values);
        _lows = [.. starts.Select(s => (ulong)s)];
    }

    public int Count => _lows.Length;

    public int Find(UInt128 address)
    {
        var high = (ulong)(address >> 64);
        var low = (ulong)address;
        var index = _byHigh.IndexOf(high);
        if (_byHigh.StartAt(index) == high && _lows[index] > low)
        {
            index = WithinItsSlash64(index, high, low);
        }
        return _byHigh.ValueAt(index);
    }

    /// <summary>
    /// The address's /64 holds several ranges and it lies before the last of them: the answer is
    /// the last of them starting at or below it, or the range before the /64's first when none does.
    /// </summary>
    private int WithinItsSlash64(int last, ulong high, ulong low)
    {
        // Gallop left to a range outside the /64, then binary-search for the /64's first range.
        var outside = last;
        for (var step = 1; outside >= 0 && _byHigh.StartAt(outside) == high; step *= 2)
        {
            outside = last - step;
        }
        var (first, end) = (Math.Max(outside, -1) + 1, last);
        while (first < end)
        {
            var middle = (first + end) >>> 1;
            if (_byHigh.StartAt(middle) == high)
            {
                end = middle;
            }
            else
            {
                first = middle + 1;
            }
        }
        if (_lows[first] > low)
        {
            return first - 1;
        }
        var (from, to) = (first, last);
        while (from < to)
        {
            var middle = (from + to + 1) >>> 1;
            if (_lows[middle] <= low)
            {
                from = middle;
            }
            else
            {
                to = middle - 1;
            }
        }
        return from;
    }
}
