using HvDumpKit.Reader.Regions;
using Xunit;

namespace HvDumpKit.Tests.Reader.Regions;

/// <summary>Regions of a map that overlap: a warning naming both and where each was written.</summary>
public sealed class RegionOverlapTests
{
    [Fact]
    public void Warnings_OverlappingPair_NamesBothWithTheirColumns()
    {
        MemoryRegion[] regions =
        [
            new(RegionKind.Dump, 0x10000, 0x10000, 0x10000, 10),
            new(RegionKind.Cpu, 0x18000, 0x1000, 0, 1),
            new(RegionKind.Hpte, 0x40000, 0x1000, 0, 20),
        ];
        var w = Assert.Single(RegionOverlap.Warnings(regions));
        Assert.Equal("CPU region 0x18000+0x1000 (column 1) overlaps DUMP region 0x10000+0x10000 (column 10)", w);
    }

    [Fact]
    public void Warnings_AdjacentOrEmpty_None()
    {
        MemoryRegion[] regions =
        [
            new(RegionKind.Dump, 0x10000, 0x10000, 0x10000, 1),
            new(RegionKind.Reserved, 0x20000, 0x1000, 0, 2) { Line = 3 }, // starts where the first ends
            new(RegionKind.Hpte, 0x10000, 0, 0, 3),                       // zero size overlaps nothing
        ];
        Assert.Empty(RegionOverlap.Warnings(regions));
    }
}
