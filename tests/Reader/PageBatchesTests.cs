using HvDumpKit.Reader;
using Xunit;

namespace HvDumpKit.Tests.Reader;

public sealed class PageBatchesTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_EveryPfnOnceInOrder_BatchesBounded(bool overlap)
    {
        var ranges = new[] { new PfnRange(3, 40), new PfnRange(100, 117) };
        var seen = new List<ulong>();
        int maxBatch = 0, processed = 0;
        PageBatches.Run(ranges, 16, overlap,
            (_, pfns, n) => { processed += n; maxBatch = Math.Max(maxBatch, n); },
            (_, pfns, n) => { lock (seen) seen.AddRange(pfns.Take(n)); });
        Assert.Equal([.. Enumerable.Range(3, 37).Select(i => (ulong)i), .. Enumerable.Range(100, 17).Select(i => (ulong)i)], seen);
        Assert.Equal(54, processed);
        Assert.Equal(16, maxBatch);
    }

    [Fact]
    public void Run_ConsumerThrows_ExceptionReported()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => PageBatches.Run([new PfnRange(0, 100)], 16, overlap: true,
            (_, _, _) => { }, (_, pfns, _) => { if (pfns[0] == 32) throw new InvalidOperationException("stop"); }));
        Assert.Equal("stop", ex.Message);
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            PageBatches.Run([new PfnRange(0, 10)], 4, overlap: false, (_, _, _) => { }, (_, _, _) => { }, cts.Token));
    }
}
