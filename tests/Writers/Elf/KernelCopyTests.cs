using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Writers.Elf;

/// <summary>
/// ELF output from an ELF file: pages stored as they are go file to file in the kernel
/// (copy_file_range); anything not wholly in a plain file takes the page pipeline.
/// </summary>
public sealed class KernelCopyTests : IDisposable
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
    public void ElfFromElf_CopiedByTheKernel_PagesEqual()
    {
        var input = Source();
        var s = Builders.Convert.To(input, _dir.File("out.elf"), "elf");
        Assert.True(s.CopiedInKernel);
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
        Assert.False(s.CopiedInKernel);
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
        Assert.True(s.CopiedInKernel);
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
}
