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
    public void Find_LastAddressOfTheSpace_IsInTheLastRange()
    {
        var sut = new RangeTable<UInt128>([UInt128.Zero, UInt128.MaxValue - 5], [1, 2]);

        Assert.Equal(2, sut.Find(UInt128.MaxValue));
        Assert.Equal(1, sut.Find(UInt128.MaxValue - 6));
    }
}
