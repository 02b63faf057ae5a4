using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers;

/// <summary>Where a dump goes: a whole file or none, a stream per write, nowhere, a --split set.</summary>
public sealed class DumpDestinationTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static readonly WriterOptions Level1 = new() { DumpLevel = 1, Threads = 1, Durable = false };

    private string Vmcore() => SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));

    [Fact]
    public void ToFile_WholeFileUnderItsName_ThenRefusesToOverwrite()
    {
        string input = Vmcore(), outp = _dir.File("o.kdump");
        using var source = DumpProbe.Open(input);
        var to = DumpDestination.ToFile(outp, force: false, [input]);
        var summary = to.Write(source, OutputFormat.Kdump, Level1);
        Assert.Equal(new FileInfo(outp).Length, summary.BytesOut);
        using (var written = DumpProbe.Open(outp)) Assert.Equal(source.PresentRanges(), written.PresentRanges());
        var ex = Assert.Throws<OutputRefusedException>(() => to.Write(source, OutputFormat.Kdump, Level1));
        Assert.Equal(OutputRefusal.Exists, ex.Reason);
    }

    [Fact]
    public void ToFile_OverTheLimit_OutputFullAndNoFileLeft()
    {
        string input = Vmcore(), outp = _dir.File("o.kdump");
        using var source = DumpProbe.Open(input);
        var ex = Assert.ThrowsAny<IOException>(() => DumpDestination.ToFile(outp, false, [input], limit: 8192)
            .Write(source, OutputFormat.Kdump, Level1));
        Assert.True(Errno.IsOutputFull(ex));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(outp)!, "*o.kdump*"));
    }

    [Fact]
    public void ToStream_OpensAStreamPerWrite_FlattenedRecords()
    {
        using var source = DumpProbe.Open(Vmcore());
        var streams = new List<MemoryStream>();
        var to = DumpDestination.ToStream(() => { var m = new MemoryStream(); streams.Add(m); return m; });
        to.Write(source, OutputFormat.Kdump, Level1);
        to.Write(source, OutputFormat.Kdump, Level1);
        Assert.Equal(2, streams.Count);
        Assert.Equal("makedumpfile"u8.ToArray(), streams[0].ToArray().AsSpan(0, 12).ToArray());
        Assert.Equal(streams[0].ToArray(), streams[1].ToArray());
    }

    [Fact]
    public void Discarding_CountsTheBytesWritesNoFile()
    {
        using var source = DumpProbe.Open(Vmcore());
        var before = Directory.GetFiles(Path.GetDirectoryName(_dir.File("x"))!).Length;
        var summary = DumpDestination.Discarding().Write(source, OutputFormat.Kdump, Level1);
        Assert.True(summary.BytesOut > 0);
        Assert.Equal(before, Directory.GetFiles(Path.GetDirectoryName(_dir.File("x"))!).Length);
    }

    [Fact]
    public void Split_ThenReassembled_SamePagesAsOneFile()
    {
        string input = Vmcore();
        using var source = DumpProbe.Open(input);
        string[] parts = [_dir.File("p0"), _dir.File("p1"), _dir.File("p2")];
        var summary = DumpDestination.Split(input, parts, false, 16 * 4096, null).Write(source, OutputFormat.Kdump, Level1);
        Assert.Equal(parts.Sum(p => new FileInfo(p).Length), summary.BytesOut);
        string whole = _dir.File("whole.kdump");
        KdumpReassembler.Write(parts, whole, force: false, threads: 1);
        using var reassembled = DumpProbe.Open(whole);
        Assert.Equal(source.PresentRanges(), reassembled.PresentRanges());
        var a = new byte[4096];
        var b = new byte[4096];
        foreach (var r in source.PresentRanges())
            for (ulong pfn = r.Start; pfn < r.End; pfn++)
            {
                source.ReadPage(pfn, a);
                reassembled.ReadPage(pfn, b);
                Assert.Equal(a, b);
            }
    }
}
