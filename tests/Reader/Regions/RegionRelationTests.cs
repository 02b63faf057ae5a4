using HvDumpKit.Reader;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Raw;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Regions;

/// <summary>Which vmcore bytes hold a region's memory: pieces in the file, pieces not saved, and the reserved range above X.</summary>
public sealed class RegionRelationTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>PT_LOADs [0, 0x6000) with only 0x4000 bytes in the file, and [0x10000, 0x12000); a hole between.</summary>
    private IDumpSource Elf()
    {
        var b = new ElfCoreBuilder().AddLoad(0, new byte[0x4000], memSize: 0x6000).AddLoad(0x10000, new byte[0x2000]);
        return DumpProbe.Open(b.WriteTo(_dir.File("r.elf")));
    }

    /// <summary>A raw image (no ELF layout): RAM PFNs 0–7, PFNs 0–2 and 5–7 saved.</summary>
    private IDumpSource Raw()
    {
        var path = _dir.File("r.raw");
        File.WriteAllBytes(path, new byte[8 * 4096]);
        var meta = new RawSidecar(Machine.X86_64, ByteOrder.Little, 4096, true, 0, 1, [new PfnRange(0, 8)],
            [new PfnRange(0, 3), new PfnRange(5, 8)], []);
        using (var s = File.Create(RawSidecar.PathFor(path))) meta.Write(s);
        return RawDumpSource.Open(new PlainFileInput(path));
    }

    private static MemoryRegion Region(ulong address, ulong size, ulong? source = null, RegionKind kind = RegionKind.Cpu) =>
        new(kind, address, size, source ?? address, 1);

    [Fact]
    public void Relate_Elf_InFileNotInFileHoleAndPastTheLastLoad()
    {
        using var d = Elf();
        var ext = d.Facts.Elf!.Extents;
        ulong a = ext[0].FileOffset, b = ext[1].FileOffset;
        Assert.Equal(
            [new RegionExtent(0x2000, 0x2000, a + 0x2000), new RegionExtent(0x4000, 0x2000, null), new RegionExtent(0x6000, 0xa000, null),
             new RegionExtent(0x10000, 0x2000, b), new RegionExtent(0x12000, 0x1000, null)],
            RegionRelation.Relate(Region(0x2000, 0x11000), d));
    }

    [Fact]
    public void Relate_Elf_WhollyInsideOneLoad_OnePiece()
    {
        using var d = Elf();
        ulong b = d.Facts.Elf!.Extents[1].FileOffset;
        Assert.Equal([new RegionExtent(0x10800, 0x800, b + 0x800)], RegionRelation.Relate(Region(0x10800, 0x800), d));
    }

    [Fact]
    public void Relate_TheBootMemoryCopy_IsTheMemoryItPreservesNotWhereItIsWritten()
    {
        using var d = Elf();
        ulong a = d.Facts.Elf!.Extents[0].FileOffset;
        Assert.Equal([new RegionExtent(0, 0x1000, a)], RegionRelation.Relate(Region(0x10000, 0x1000, source: 0, kind: RegionKind.Dump), d));
    }

    [Fact]
    public void Relate_ZeroLength_Nothing()
    {
        using var d = Elf();
        Assert.Empty(RegionRelation.Relate(Region(0x1000, 0), d));
    }

    [Theory]
    [InlineData(0x1000UL, 0x6000UL, 0x4000UL)] // PFNs 1–6: 1, 2, 5 and 6 saved
    [InlineData(0x1800UL, 0x1000UL, 0x1000UL)] // halves of PFNs 1 and 2
    [InlineData(0x3000UL, 0x2000UL, 0UL)]      // PFNs 3–4, not saved
    public void Relate_NotElf_OnePieceOfTheBytesPresent(ulong address, ulong size, ulong covered)
    {
        using var d = Raw();
        Assert.Equal([new RegionExtent(address, covered, null)], RegionRelation.Relate(Region(address, size), d));
    }

    [Fact]
    public void RegionsOf_NoReservedLine_TheMapsRegions()
    {
        using var d = Elf();
        var map = RegionMap.Parse("CPU:0x1000-0x1000: HPTE:0x2000-0x1000: DUMP:0x3000-0x1000:");
        Assert.Equal(map.Regions, RegionRelation.RegionsOf(map, d).ToArray());
    }

    private const string Fadump =
        "CPU :[0x1000-0x1fff] 0x1000 bytes, Dumped: 0x1000\n\nMemory above 0x4000 is reserved for saving crash dump\n";

    [Fact]
    public void RegionsOf_MemoryAbove_AddsTheReservedRangeToTheEndOfTheLastLoad()
    {
        using var d = Elf();
        var map = FadumpRegionText.Parse(Fadump);
        var regions = RegionRelation.RegionsOf(map, d).ToArray();
        Assert.Equal(2, regions.Length);
        Assert.Same(map.Regions[0], regions[0]);
        Assert.Equal(new MemoryRegion(RegionKind.Reserved, 0x4000, 0xe000, 0x4000, 1) { Line = 3 }, regions[1]);
    }

    [Fact]
    public void RegionsOf_MemoryAbove_NotElf_ToMaxPfnPages()
    {
        using var d = Raw();
        var regions = RegionRelation.RegionsOf(FadumpRegionText.Parse(Fadump), d).ToArray();
        Assert.Equal(new MemoryRegion(RegionKind.Reserved, 0x4000, 0x4000, 0x4000, 1) { Line = 3 }, regions[^1]);
    }

    [Fact]
    public void RegionsOf_MemoryAboveTheDumpsEnd_ZeroLength()
    {
        using var d = Raw();
        var map = FadumpRegionText.Parse("CPU :[0x1000-0x1fff] 0x1000 bytes, Dumped: 0x1000\nMemory above 0x100000 is reserved\n");
        Assert.Equal(new MemoryRegion(RegionKind.Reserved, 0x100000, 0, 0x100000, 1) { Line = 2 }, RegionRelation.RegionsOf(map, d).Last());
    }
}
