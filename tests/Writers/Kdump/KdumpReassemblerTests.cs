using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Kdump;

/// <summary>makedumpfile --reassemble: one file from a --split set, in the set's codec and dump level, never over a split.</summary>
public sealed class KdumpReassemblerTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>The synthetic vmcore split in three, lzo at dump level 3, the parts given out of order.</summary>
    private (string Input, string[] Parts) Split()
    {
        string input = SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));
        string[] parts = [_dir.File("p0"), _dir.File("p1"), _dir.File("p2")];
        using var source = DumpProbe.Open(input);
        var options = new WriterOptions { Compression = PageCompression.Lzo, DumpLevel = 3, Threads = 1, Durable = false };
        DumpDestination.Split(input, parts, false, 16 * 4096, null).Write(source, OutputFormat.Kdump, options);
        return (input, [parts[2], parts[0], parts[1]]);
    }

    [Fact]
    public void Write_TheSetsCodecAndDumpLevel_AndItsPages()
    {
        var (input, parts) = Split();
        string whole = _dir.File("whole.kdump");
        var summary = KdumpReassembler.Write(parts, whole, force: false, threads: 1);
        Assert.Equal(new FileInfo(whole).Length, summary.BytesOut);
        using var reassembled = DumpProbe.Open(whole);
        Assert.Equal((PageCompression.Lzo, 3), (reassembled.Facts.Compression, reassembled.DumpLevel));
        using var set = KdumpSplitSet.Open(parts);
        Assert.Equal(set.PresentRanges(), reassembled.PresentRanges());
        var a = new byte[4096];
        var b = new byte[4096];
        foreach (var pfn in PfnRanges.Pfns(set.PresentRanges()))
        {
            set.ReadPage(pfn, a);
            reassembled.ReadPage(pfn, b);
            Assert.True(a.AsSpan().SequenceEqual(b), $"PFN {pfn}");
        }
        Assert.True(File.Exists(input));
    }

    [Fact]
    public void Write_OntoOneOfItsSplits_RefusedEvenWithForce()
    {
        var (_, parts) = Split();
        long before = new FileInfo(parts[1]).Length;
        var ex = Assert.Throws<OutputRefusedException>(() => KdumpReassembler.Write(parts, parts[1], force: true, threads: 1));
        Assert.Equal(OutputRefusal.IsInput, ex.Reason);
        Assert.Equal(before, new FileInfo(parts[1]).Length);
    }

    [Fact]
    public void Write_AnExistingFileWithoutForce_Refused()
    {
        var (_, parts) = Split();
        string whole = _dir.File("whole.kdump");
        File.WriteAllText(whole, "keep");
        var ex = Assert.Throws<OutputRefusedException>(() => KdumpReassembler.Write(parts, whole, force: false, threads: 1));
        Assert.Equal(OutputRefusal.Exists, ex.Reason);
        Assert.Equal("keep", File.ReadAllText(whole));
    }
}
