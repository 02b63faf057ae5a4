using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Writers.Elf;

/// <summary>
/// ELF output. From an ELF file, pages stored as they are go file to file in large chunks
/// (FileCopy); anything not wholly in a plain file takes the page pipeline.
/// </summary>
public sealed class ElfWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Source()
    {
        var data = new byte[40 * 4096];
        new Random(7).NextBytes(data.AsSpan(0, 10 * 4096));
        for (int i = 20 * 4096; i < 30 * 4096; i++) data[i] = (byte)i;
        return new ElfCoreBuilder().PrStatus(1).VmcoreInfo("OSRELEASE=6.1.0\nPAGESIZE=4096\n")
            .AddLoad(0, data).AddLoad(0x100000, data.AsSpan(0, 8 * 4096).ToArray(), memSize: 16 * 4096) // a tail with no file bytes
            .WriteTo(_dir.File("in.elf"));
    }

    [Fact]
    public void ElfFromElf_CopiedFileToFile_PagesEqual()
    {
        var input = Source();
        var s = Builders.Convert.To(input, _dir.File("out.elf"), "elf");
        Assert.True(s.CopiedFromFile);
        Assert.Equal(48UL, s.PagesWritten);
        using var a = DumpProbe.Open(input);
        using var b = DumpProbe.Open(_dir.File("out.elf"));
        Builders.Convert.AssertSamePages(a, b);
        Assert.Equal(PageStatus.Excluded, b.ReadPage(0x100 + 10, new byte[4096]));
    }

    [Fact]
    public void ElfFromKdump_TakesThePipeline_PagesEqual()
    {
        var input = Source();
        Builders.Convert.To(input, _dir.File("mid.kdump"), "kdump");
        var s = Builders.Convert.To(_dir.File("mid.kdump"), _dir.File("out.elf"), "elf");
        Assert.False(s.CopiedFromFile);
        using var a = DumpProbe.Open(input);
        using var b = DumpProbe.Open(_dir.File("out.elf"));
        Builders.Convert.AssertSamePages(a, b);
    }

    [Fact]
    public void TruncatedSource_CopiesTheWholePagesThatAreThere()
    {
        var input = Source();
        var bytes = File.ReadAllBytes(input);
        File.WriteAllBytes(input, bytes[..(bytes.Length - 4 * 4096 - 100)]); // the second PT_LOAD loses 4 pages and a bit
        var s = Builders.Convert.To(input, _dir.File("out.elf"), "elf");
        Assert.True(s.CopiedFromFile);
        Assert.Equal(40UL + 3, s.PagesWritten);
        using var a = DumpProbe.Open(input);
        using var b = DumpProbe.Open(_dir.File("out.elf"));
        var x = new byte[4096];
        var y = new byte[4096];
        for (ulong pfn = 0x100; pfn < 0x103; pfn++)
        {
            Assert.Equal(PageStatus.Present, a.ReadPage(pfn, x));
            Assert.Equal(PageStatus.Present, b.ReadPage(pfn, y));
            Assert.Equal(x, y);
        }
        Assert.NotEqual(PageStatus.Present, b.ReadPage(0x103, y));
    }

    [Fact]
    public void ElfWriter_DumpLevel1_LongZeroRunBecomesHole()
    {
        var mem = new byte[1024 * 4096];
        for (int pfn = 0; pfn < 1024; pfn++) if (pfn < 64 || pfn >= 900) mem.AsSpan(pfn * 4096, 4096).Fill((byte)(pfn | 1));
        var b = new ElfCoreBuilder().VmcoreInfo("PAGESIZE=4096\nOSRELEASE=6.1\n").AddLoad(0x30000, mem);
        var input = b.WriteTo(_dir.File("zeros.elf"));
        var output = _dir.File("zeros.out.elf");
        var s = Builders.Convert.To(input, output, "elf", level: 1);
        using var e = (HvDumpKit.Reader.Elf.ElfDumpSource)DumpProbe.Open(output);
        var loads = e.Loads.ToList();
        Assert.Equal(2, loads.Count);
        Assert.Equal((0x30000UL, 64 * 4096UL, 900 * 4096UL), (loads[0].PhysicalAddress, loads[0].FileSize, loads[0].MemorySize));
        Assert.Equal((0x30000UL + 900 * 4096, 124 * 4096UL, 124 * 4096UL), (loads[1].PhysicalAddress, loads[1].FileSize, loads[1].MemorySize));
        Assert.Equal(64UL, e.ElfHeader.PhOff);
        Assert.Equal(836UL, s.ZeroPagesExcluded);
        using var a = DumpProbe.Open(input);
        Builders.Convert.AssertSamePages(a, e, allowZeroExcluded: true);
    }

    [Fact]
    public void ElfWriter_QemuPagingFalseSource_FillsDirectMapVaddr()
    {
        // QEMU paging=false writes p_vaddr = p_paddr; gdb and drgn need the direct map address.
        var mem = SyntheticKernel.Memory();
        var b = new ElfCoreBuilder { QemuLayout = true }.PrStatus(1).VmcoreInfo(SyntheticKernel.VmcoreInfo())
            .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray()).AddLoad(48 * 4096, mem.AsSpan(48 * 4096).ToArray());
        var input = b.WriteTo(_dir.File("qemu.elf"));
        Builders.Convert.To(input, _dir.File("fixed.elf"), "elf");
        using var e = (HvDumpKit.Reader.Elf.ElfDumpSource)DumpProbe.Open(_dir.File("fixed.elf"));
        Assert.Equal(SyntheticKernel.PageOffset, e.Loads.First().VirtualAddress);
        Assert.Equal(SyntheticKernel.PageOffset + 48 * 4096, e.Loads.Last().VirtualAddress);
        Assert.Empty(e.Warnings);
    }
}
