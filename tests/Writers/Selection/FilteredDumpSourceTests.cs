using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Writers.Selection;

public sealed class FilteredDumpSourceTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static ulong[] Excluded(IDumpSource inner, FilteredDumpSource f)
    {
        var kept = f.PresentRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count)).Select(x => (ulong)x).ToHashSet();
        return inner.PresentRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count)).Select(x => (ulong)x).Where(p => !kept.Contains(p)).ToArray();
    }

    [Theory]
    [InlineData(2, new ulong[] { 12 })]
    [InlineData(4, new ulong[] { 12, 13 })]
    [InlineData(8, new ulong[] { 14 })]
    [InlineData(16, new ulong[] { 16, 17, 18, 19 })]
    [InlineData(31, new ulong[] { 12, 13, 14, 16, 17, 18, 19 })]
    [InlineData(1, new ulong[] { })]
    public void PresentRanges_SyntheticKernel_ExcludesWhatMakedumpfileExcludes(int level, ulong[] expected)
    {
        // filtering.md §10: makedumpfile -d 31 on this layout cleared exactly 12, 13, 14, 16–19.
        var path = SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));
        using var inner = DumpProbe.Open(path);
        var f = new FilteredDumpSource(DumpProbe.Open(path), level);
        Assert.Equal(expected, Excluded(inner, f));
        Assert.Equal(level == 1 ? 0UL : (ulong)expected.Length, f.Stats.Total);
        if (level == 31)
            Assert.Equal((1UL, 1UL, 1UL, 4UL), (f.Stats.Cache, f.Stats.CachePrivate, f.Stats.User, f.Stats.Free));
        f.Dispose();
    }

    [Fact]
    public void KdumpOutput_Level31_SecondBitmapAsMakedumpfile()
    {
        var path = SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));
        using var f = new FilteredDumpSource(DumpProbe.Open(path), 31);
        var outp = _dir.File("d31.kdump");
        Builders.Convert.To(f, outp, "kdump", PageCompression.Zlib, 31);
        var bytes = File.ReadAllBytes(outp);
        Assert.Equal(new byte[] { 0xFF, 0x8F, 0xF0, 0xFF, 0, 0, 0xFF, 0xFF }, bytes.AsSpan(12288, 8).ToArray());
        using var k = (KdumpDumpSource)DumpProbe.Open(outp);
        Assert.Equal(41UL, k.DumpablePages);
        Assert.Equal(31, k.Kdump.DumpLevel);
        Assert.Equal(PageStatus.Excluded, k.ReadPage(13, new byte[4096]));
    }

    [Fact]
    public void Refilter_KdumpInput_LevelIsOldOrNew()
    {
        var path = SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));
        var d1 = _dir.File("d1.kdump");
        Builders.Convert.To(path, d1, "kdump", PageCompression.Lzo, 1);
        using var f = new FilteredDumpSource(DumpProbe.Open(d1), 30);
        Assert.Equal(31, f.DumpLevel);
        var outp = _dir.File("d31.kdump");
        Builders.Convert.To(f, outp, "kdump", PageCompression.Zlib, 30);
        using var k = (KdumpDumpSource)DumpProbe.Open(outp);
        Assert.Equal(31, k.Kdump.DumpLevel);
        Assert.Equal(41UL, k.DumpablePages);
    }

    [Fact]
    public void MissingBuddyEntries_FreePagesKeptAndSaid()
    {
        var vmci = SyntheticKernel.VmcoreInfo().Replace("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n", "");
        var mem = SyntheticKernel.Memory();
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(vmci)
            .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(0))
            .AddLoad(48 * 4096, mem.AsSpan(48 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(48 * 4096));
        var path = b.WriteTo(_dir.File("nobuddy.elf"));
        using var inner = DumpProbe.Open(path);
        using var f = new FilteredDumpSource(DumpProbe.Open(path), 31);
        Assert.Equal(new ulong[] { 12, 13, 14 }, Excluded(inner, f));
        Assert.Contains(f.Warnings, w => w.Contains("free pages are kept"));
    }

    [Fact]
    public void NoVmcoreInfo_KeepsEverythingAndSaysWhy()
    {
        var b = new ElfCoreBuilder().PrStatus(1).AddLoad(0, new byte[8 * 4096]);
        var path = b.WriteTo(_dir.File("novmci.elf"));
        using var f = new FilteredDumpSource(DumpProbe.Open(path), 31);
        Assert.False(f.Classifies);
        Assert.Equal([new PfnRange(0, 8)], f.PresentRanges().ToArray());
        Assert.Contains(f.Warnings, w => w.Contains("no VMCOREINFO"));
    }

    [Fact]
    public void SafetyNet_SymbolInACachePage_KeptAndCounted()
    {
        var vmci = SyntheticKernel.VmcoreInfo() + $"SYMBOL(precious)={SyntheticKernel.Kv(12 * 4096 + 8):x}\n";
        var mem = SyntheticKernel.Memory();
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(vmci)
            .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(0))
            .AddLoad(48 * 4096, mem.AsSpan(48 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(48 * 4096));
        var path = b.WriteTo(_dir.File("precious.elf"));
        using var inner = DumpProbe.Open(path);
        using var f = new FilteredDumpSource(DumpProbe.Open(path), 31);
        Assert.Equal(new ulong[] { 13, 14, 16, 17, 18, 19 }, Excluded(inner, f));
        Assert.Equal(1UL, f.ProtectedKept);
        var outp = _dir.File("p.kdump");
        Builders.Convert.To(f, outp, "kdump", PageCompression.Zstd, 31);
        using var k = DumpProbe.Open(outp);
        Assert.Empty(HvDumpKit.Reader.Kernel.KernelDataPages.UnreadableSymbols(k));
    }

    [Fact]
    public void SymbolCheck_SymbolPageMissing_Reported()
    {
        var vmci = SyntheticKernel.VmcoreInfo() + $"SYMBOL(gone)={SyntheticKernel.Kv(40 * 4096):x}\n";
        var mem = SyntheticKernel.Memory();
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(vmci)
            .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(0));
        using var src = DumpProbe.Open(b.WriteTo(_dir.File("gone.elf")));
        Assert.Equal(["SYMBOL(gone)"], HvDumpKit.Reader.Kernel.KernelDataPages.UnreadableSymbols(src));
    }
}
