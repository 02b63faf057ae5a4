using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output.Sinks;
using Xunit;

namespace HvDumpKit.Tests.Writers.Kdump;

/// <summary>Where a killed kdump-compressed write goes on: after the leading run of valid descriptors.</summary>
public sealed class KdumpResumePointTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>Descriptors start at block 4 (kdump-compressed.md §10); 48 of them, then the page data.</summary>
    private const long DataStart = 16384 + 48 * 24;

    /// <summary>The sample as an uncompressed kdump, level 0, one thread: page data in PFN order, 4096 bytes a page.</summary>
    private string Whole()
    {
        var path = _dir.File("whole.kdump");
        using var src = DumpProbe.Open(Samples.Elf);
        using var fs = File.Create(path);
        using var sink = new FileSink(fs.SafeFileHandle, ownsHandle: false);
        new KdumpWriter().Write(src, sink, new WriterOptions { Compression = PageCompression.None, Threads = 1 });
        return path;
    }

    [Fact]
    public void Find_WholeFile_EveryPageDone()
    {
        var path = Whole();
        using var d = DumpProbe.Open(path);
        var r = KdumpResumePoint.Find(d);
        Assert.Equal(64UL, r.MaxMapnr);
        Assert.Equal(48UL, r.PagesDone);
        Assert.Equal(ulong.MaxValue, r.ResumePfn);
        Assert.Equal(DataStart + 48 * 4096, r.DataEnd);
        Assert.Equal(0, r.DumpLevel);
        Assert.Equal(PageCompression.None, r.Compression);
        Assert.Equal(File.ReadAllBytes(path).AsSpan(0, 4096).ToArray(), r.Header);
    }

    [Fact]
    public void Find_CutInsideThe36thPage_ResumesAtItsPfnAfterTheHole()
    {
        var path = Whole();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, (int)DataStart + 35 * 4096 + 100).ToArray());
        using var d = DumpProbe.Open(path);
        var r = KdumpResumePoint.Find(d);
        Assert.Equal(35UL, r.PagesDone);
        Assert.Equal(51UL, r.ResumePfn); // 32 pages below the hole at 32–47, then 48, 49, 50
        Assert.Equal(DataStart + 35 * 4096, r.DataEnd);
    }

    [Fact]
    public void Find_DescriptorNeverWritten_RunEndsThere()
    {
        var path = Whole();
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(16384 + 10 * 24, 24).Clear(); // the 11th descriptor reads as a hole
        File.WriteAllBytes(path, bytes);
        using var d = DumpProbe.Open(path);
        var r = KdumpResumePoint.Find(d);
        Assert.Equal(10UL, r.PagesDone);
        Assert.Equal(10UL, r.ResumePfn);
        Assert.Equal(DataStart + 10 * 4096, r.DataEnd);
    }

    [Fact]
    public void Find_NotAKdump_NotSupported()
    {
        using var d = DumpProbe.Open(Samples.Elf);
        Assert.Throws<NotSupportedException>(() => KdumpResumePoint.Find(d));
    }
}
