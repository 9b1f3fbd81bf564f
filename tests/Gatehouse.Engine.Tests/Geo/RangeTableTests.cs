using CsCheck;
using Gatehouse.Engine.Geo;

namespace Gatehouse.Engine.Tests.Geo;

public sealed class RangeTableTests
{
    [Fact]
    public void Find_AgreesWithALinearScan()
    {
        // Few distinct high bits, so many ranges share a bucket and bucket edges are exercised.
        var address = Gen.UInt[0, 0x0003_ffff].Select(Gen.UInt[0, 3], (low, high) => (high << 30) | low);
        var table = address.Array[1, 300].Select(starts => starts.Append(0u).Distinct().Order().ToArray());

        Gen.Select(table, address.Array[1, 50]).Sample((starts, probes) =>
        {
            var values = starts.Select((_, i) => i % 7 == 0 ? -1 : i).ToArray();
            var sut = new RangeTable<uint>(starts, values);
            foreach (var probe in probes.Concat(starts).Concat(starts.Where(s => s > 0).Select(s => s - 1)))
            {
                var expected = values[Array.FindLastIndex(starts, s => s <= probe)];
                Assert.Equal(expected, sut.Find(probe));
            }
        });
    }

    [Fact]
    public void IPv6_AgreesWithALinearScan_InCrowdedBucketsAndInsideOneSlash64()
    {
        // Few top-16-bit buckets, so some are crowded enough for the second-level index; the
        // next bits vary across its sub-buckets; few low halves, so /64s hold several ranges.
        var high = Gen.ULong[0, 3].Select(Gen.ULong[0, (1 << 12) - 1], (top, next) => (top << 62) | (next << 36));
        var low = Gen.OneOf(Gen.Const(0UL), Gen.ULong[0, 7].Select(l => l << 61));
        var address = Gen.Select(high, low, (h, l) => ((UInt128)h << 64) | l);
        var table = address.Array[1, 400].Select(starts => starts.Append(UInt128.Zero).Distinct().Order().ToArray());

        Gen.Select(table, address.Array[1, 40]).Sample((starts, probes) =>
        {
            var values = starts.Select((_, i) => i).ToArray();
            var sut = new IPv6RangeTable(starts, values);
            foreach (var probe in probes.Concat(starts).Concat(starts.Where(s => s > 0).Select(s => s - 1)).Append(UInt128.MaxValue))
            {
                Assert.Equal(Array.FindLastIndex(starts, s => s <= probe), sut.Find(probe));
            }
        }, iter: 300);
    }
}
