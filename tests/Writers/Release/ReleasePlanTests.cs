using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

public sealed class ReleasePlanTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DesignExample_AlignedInwardNoByteTwiceBootCopyHoldsPfnZero()
    {
        var map = RegionMap.Parse("CPU:0x177fee000-0x10000: HPTE:0x177ffe020-0x1000: DUMP:0x177fff020-0x10000000, 0x10000000-0x16F1D370A");
        var units = ReleasePlan.Build(map, 4096, chunkBytes: 1UL << 40);
        foreach (var u in units)
        {
            Assert.Equal(0UL, u.Address % 4096);
            Assert.Equal(0UL, u.Size % 4096);
        }
        var sorted = units.OrderBy(u => u.Address).ToList();
        for (int i = 1; i < sorted.Count; i++) Assert.True(sorted[i - 1].End <= sorted[i].Address, "overlap");
        // HPTE 0x177ffe020+0x1000 rounds inward to nothing: no page of it is whole.
        Assert.DoesNotContain(units, u => u.Kind == RegionKind.Hpte);
        var boot = units.Single(u => u.Kind == RegionKind.Dump && u.Address == 0x177fff000 + 0x1000);
        // The copy is not page aligned: its first whole page holds physical 0xfe0–0x1fdf, parts of PFNs 0 and 1,
        // so both must be durable before that page is released.
        Assert.Equal((0UL, 2UL), (boot.FirstPfn, (0xfe0 + 0x1000 + 4095) / 4096UL));
        // The second DUMP range loses what CPU and the boot copy claimed.
        var rest = units.Where(u => u.Kind == RegionKind.Dump && u.Address >= 0x10000000 && u.Address < 0x177fee000).ToList();
        Assert.Equal(0x177fee000UL - 0x10000000, (ulong)rest.Sum(u => (long)u.Size));
        Assert.Equal(RegionKind.Cpu, units[^1].Kind); // CPU and HPTE after the dump data
    }
}
