using HvDumpKit.Reader;
using HvDumpKit.Writers.Kdump;
using Xunit;

namespace HvDumpKit.Tests.Writers.Kdump;

public sealed class SplitPlanTests
{
    [Fact]
    public void Cut_EqualShareOnSplitblockBoundaries_LastEndsAtMaxMapnr()
    {
        // 4 splitblocks of 4096 PFNs, dumpable pages 1000, 3000, 100, 4000 (total 8100).
        PfnRange[] present = [new(0, 1000), new(4096, 7096), new(8192, 8292), new(12288, 16288)];
        var cuts = SplitPlan.Cut(present, 16384, 2, 4096);
        // The first file takes blocks until it holds 8100/2 = 4050 pages: blocks 0, 1 and 2 (4100).
        Assert.Equal([new PfnRange(0, 12288), new PfnRange(12288, 16384)], cuts);
    }

    [Fact]
    public void Cut_SmallDump_AllInTheFirstFile_LaterFilesEmptyAtMaxMapnr()
    {
        var cuts = SplitPlan.Cut([new PfnRange(0, 64)], 64, 3, 262144);
        Assert.Equal([new PfnRange(0, 64), new PfnRange(64, 64), new PfnRange(64, 64)], cuts);
    }

    [Theory]
    [InlineData(1L << 30, 4096, 262144UL)]
    [InlineData(1000L << 10, 4096, 4096UL)]   // 250 PFNs round up to one 4096-PFN section
    [InlineData(1L << 30, 65536, 16384UL)]
    public void SplitblockPfns_WholeSections(long bytes, int pageSize, ulong want) =>
        Assert.Equal(want, SplitPlan.SplitblockPfns(bytes, pageSize));
}
