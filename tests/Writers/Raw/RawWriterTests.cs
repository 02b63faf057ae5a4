using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Raw;
using Xunit;

namespace HvDumpKit.Tests.Writers.Raw;

/// <summary>A flat image: byte N is physical address N; holes for absent and (level 1) zero pages.</summary>
public sealed class RawWriterTests
{
    [Fact]
    public void Write_Level1_PagesAtTheirAddressZeroPagesHolesSidecarListsThem()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        var sink = new MemorySink();
        var w = new RawWriter();
        var s = w.Write(src, sink, new WriterOptions { DumpLevel = 1, Threads = 1 });
        Assert.Equal(64L * 4096, sink.Length);
        Assert.True(sink.Completed);
        Assert.Equal(48UL, s.PagesInSource);
        Assert.Equal(5UL, s.ZeroPagesExcluded);
        Assert.Equal(43UL, s.PagesWritten);
        Assert.Equal(64L * 4096, s.BytesOut);
        Assert.DoesNotContain(sink.Writes, x => x.Offset < 12 * 4096 && x.Offset + x.Length > 8 * 4096); // zero PFNs 8–11
        var image = sink.Bytes;
        var page = new byte[4096];
        foreach (ulong pfn in new ulong[] { 1, 12, 25, 31, 48, 63 })
        {
            Assert.Equal(PageStatus.Present, src.ReadPage(pfn, page));
            Assert.Equal(page, image.AsSpan((int)pfn * 4096, 4096).ToArray());
        }
        var side = w.Sidecar!;
        Assert.Equal([new PfnRange(0, 32), new PfnRange(48, 64)], side.Present);
        Assert.Equal(1, side.DumpLevel);
        Assert.Equal(src.Notes.Blob, side.NoteBlob);
        Assert.Equal(Machine.X86_64, side.Machine);
    }

    [Fact]
    public void Write_ToAStream_Refused()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        Assert.Throws<NotSupportedException>(() => new RawWriter().Write(src, new MemorySink(canRewrite: false), new WriterOptions()));
    }

    [Fact]
    public void Write_BadDumpLevel_Refused()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        Assert.ThrowsAny<ArgumentException>(() => new RawWriter().Write(src, new MemorySink(), new WriterOptions { DumpLevel = 32 }));
    }
}
