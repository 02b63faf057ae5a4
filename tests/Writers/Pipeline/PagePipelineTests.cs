using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Pipeline;
using Xunit;

namespace HvDumpKit.Tests.Writers.Pipeline;

/// <summary>Read, classify and compress pages on every core; hand them to the writer in PFN order.</summary>
public sealed class PagePipelineTests
{
    private sealed record Seen(ulong Pfn, PageStatus Status, bool IsZero, byte First, byte[] Compressed);

    private static List<Seen> Run(IDumpSource src, WriterOptions options, IEnumerable<PfnRange> ranges)
    {
        var seen = new List<Seen>();
        new PagePipeline(src, options).Run(ranges, (in PageItem p) =>
            seen.Add(new Seen(p.Pfn, p.Status, p.IsZero, p.Raw[0], p.Compressed.ToArray())));
        return seen;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Run_EveryPfnOnceInOrder_ZeroPagesFlagged(int threads)
    {
        using var src = DumpProbe.Open(Samples.Elf);
        var seen = Run(src, new WriterOptions { Compression = PageCompression.None, Threads = threads, MemoryBudget = 64 * 1024 },
            src.PresentRanges());
        Assert.Equal(Enumerable.Range(0, 32).Concat(Enumerable.Range(48, 16)).Select(i => (ulong)i), seen.Select(s => s.Pfn));
        Assert.Equal([0UL, 8, 9, 10, 11], seen.Where(s => s.IsZero).Select(s => s.Pfn));
        Assert.All(seen, s => Assert.Equal(PageStatus.Present, s.Status));
        Assert.All(seen, s => Assert.Empty(s.Compressed)); // no codec: nothing compressed
        Assert.Equal(12, seen.Single(s => s.Pfn == 12).First); // filled with its PFN
    }

    [Fact]
    public void Run_Zstd_EachPageDecodesToItsRawBytes()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        var page = new byte[4096];
        var back = new byte[4096];
        int compressed = 0;
        new PagePipeline(src, new WriterOptions { Compression = PageCompression.Zstd, Threads = 2 }).Run(src.PresentRanges(), (in PageItem p) =>
        {
            Assert.Equal(PageStatus.Present, src.ReadPage(p.Pfn, page));
            Assert.True(p.Raw.SequenceEqual(page), $"pfn {p.Pfn}");
            if (p.Compressed.IsEmpty) return; // incompressible (pfn 25 is random): stored raw
            compressed++;
            PageCodecs.Decompress(PageCompression.Zstd, p.Compressed, back);
            Assert.True(back.AsSpan().SequenceEqual(page), $"pfn {p.Pfn} decodes to other bytes");
        });
        Assert.Equal(47, compressed);
    }

    [Fact]
    public void Run_Level1_ZeroPagesNotCompressed()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        var seen = Run(src, new WriterOptions { Compression = PageCompression.Zlib, DumpLevel = 1, Threads = 1 }, src.PresentRanges());
        Assert.All(seen.Where(s => s.IsZero), s => Assert.Empty(s.Compressed)); // the writer shares one zero page
        Assert.NotEmpty(seen.Single(s => s.Pfn == 12).Compressed);
    }

    [Fact]
    public void Run_RangeInTheHole_StatusFromTheSource()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        var seen = Run(src, new WriterOptions { Compression = PageCompression.None, Threads = 1 }, [new PfnRange(30, 34)]);
        Assert.Equal([PageStatus.Present, PageStatus.Present, PageStatus.NotInDump, PageStatus.NotInDump], seen.Select(s => s.Status));
        Assert.False(seen[2].IsZero); // an absent page is not a zero page
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        using var src = DumpProbe.Open(Samples.Elf);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Run(src, new WriterOptions { Threads = 2, Cancellation = cts.Token }, src.PresentRanges()));
    }
}
