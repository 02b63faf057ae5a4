using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

/// <summary>SavedArea.cs: AreaSaver copies a region-map area out of the dump into a SavedArea file.</summary>
public sealed class AreaSaverTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Save_UnalignedAreaAcrossPages_TheDumpsBytesFromItsSourceAddress()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        int ps = src.Header.PageSize;
        var pfn = PfnRanges.Pfns(src.PresentRanges()).First(p => src.PresentRanges().Any(r => r.Contains(p + 1)));
        byte[] a = new byte[ps], b = new byte[ps];
        Assert.Equal(PageStatus.Present, src.ReadPage(pfn, a));
        Assert.Equal(PageStatus.Present, src.ReadPage(pfn + 1, b));
        ulong start = pfn * (ulong)ps + 100;
        var area = new MemoryRegion(RegionKind.Cpu, 0x1234_0000, (ulong)ps, start, 0);
        var saved = AreaSaver.Save(src, area, _dir.File("cpu.bin"));
        Assert.Equal(new SavedArea(RegionKind.Cpu, 0x1234_0000, (ulong)ps, "cpu.bin", (ulong)ps, 0), saved);
        Assert.Equal([.. a.AsSpan(100).ToArray(), .. b.AsSpan(0, 100).ToArray()], File.ReadAllBytes(_dir.File("cpu.bin")));
    }

    [Fact]
    public void Save_PastTheDumpsLastPfn_ZerosCountedMissing()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        ulong ps = (ulong)src.Header.PageSize;
        var area = new MemoryRegion(RegionKind.Hpte, 0, 3 * ps, src.MaxPfn * ps, 0);
        var saved = AreaSaver.Save(src, area, _dir.File("hpte.bin"));
        Assert.Equal(0UL, saved.BytesSaved);
        Assert.Equal(3 * ps, saved.BytesMissing);
        Assert.Equal(new byte[3 * ps], File.ReadAllBytes(_dir.File("hpte.bin")));
    }
}
