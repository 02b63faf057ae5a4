using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Writers.Elf;

/// <summary>
/// ELF output from an ELF file: pages stored as they are go file to file in large chunks
/// (FileCopy); anything not wholly in a plain file takes the page pipeline.
/// </summary>
public sealed class FileRunCopyTests : IDisposable
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

    [Theory]
    [InlineData(0, 1)]
    [InlineData(100, 4096 * 3 + 17)] // several chunks, the last one short
    public void FileCopy_OverlappedChunks_SameBytes(long from, long length)
    {
        var src = _dir.File("src.bin");
        var bytes = new byte[64 * 1024];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(src, bytes);
        var dst = _dir.File("dst.bin");
        using (var fs = File.Create(dst))
        using (var sink = new HvDumpKit.Writers.Output.Sinks.FileSink(fs.SafeFileHandle, ownsHandle: false))
        using (var input = File.OpenHandle(src))
            new HvDumpKit.Writers.Output.FileCopy(4096).Copy(input, from, sink, 10, length);
        var got = File.ReadAllBytes(dst);
        Assert.Equal(bytes.AsSpan((int)from, (int)length).ToArray(), got.AsSpan(10).ToArray());
    }

    [Fact]
    public void FileCopy_InputShorterThanAsked_SaysWhere()
    {
        var src = _dir.File("short.bin");
        File.WriteAllBytes(src, new byte[10000]);
        using var fs = File.Create(_dir.File("out.bin"));
        using var sink = new HvDumpKit.Writers.Output.Sinks.FileSink(fs.SafeFileHandle, ownsHandle: false);
        using var input = File.OpenHandle(src);
        var ex = Assert.Throws<IOException>(() => new HvDumpKit.Writers.Output.FileCopy(4096).Copy(input, 0, sink, 0, 20000));
        Assert.Contains("0x2710", ex.Message);
    }
}
