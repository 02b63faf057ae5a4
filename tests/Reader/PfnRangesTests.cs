using HvDumpKit.Reader;
using Xunit;

namespace HvDumpKit.Tests.Reader;

/// <summary>PageStatus.cs: PfnRange and PfnRanges.</summary>
public sealed class PfnRangesTests
{
    private static PfnRange R(ulong s, ulong e) => new(s, e);

    [Fact]
    public void PfnRange_CountAndHalfOpenContains()
    {
        var r = R(4, 8);
        Assert.Equal(4UL, r.Count);
        Assert.True(r.Contains(4));
        Assert.True(r.Contains(7));
        Assert.False(r.Contains(8));
        Assert.False(r.Contains(3));
    }

    [Fact]
    public void CountAndPfns_EveryPfnInOrder()
    {
        var ranges = new[] { R(1, 3), R(10, 12) };
        Assert.Equal(4UL, PfnRanges.Count(ranges));
        Assert.Equal(new ulong[] { 1, 2, 10, 11 }, PfnRanges.Pfns(ranges));
    }

    [Fact]
    public void Subtract_HolesEdgesAndWholeRanges()
    {
        var a = new[] { R(0, 10), R(20, 30), R(40, 50) };
        var b = new[] { R(2, 4), R(8, 22), R(25, 26), R(40, 50) };
        Assert.Equal(new[] { R(0, 2), R(4, 8), R(22, 25), R(26, 30) }, PfnRanges.Subtract(a, b));
        Assert.Equal(a, PfnRanges.Subtract(a, []));
        Assert.Empty(PfnRanges.Subtract(a, [R(0, 100)]));
    }

    [Fact]
    public void Except_BSpanningSeveralARanges()
    {
        Assert.Equal(new[] { R(0, 5), R(35, 40) }, PfnRanges.Except([R(0, 10), R(20, 30), R(32, 40)], [R(5, 35)]));
    }

    [Fact]
    public void Within_ClippedToTheWindow()
    {
        Assert.Equal(new[] { R(5, 10), R(20, 25) }, PfnRanges.Within([R(0, 10), R(20, 30), R(40, 50)], R(5, 25)));
    }

    [Fact]
    public void Coalesce_AdjacentAndOverlappingMergedEmptyDropped()
    {
        Assert.Equal(new[] { R(0, 12), R(15, 16) },
            PfnRanges.Coalesce([R(0, 5), R(5, 8), R(6, 12), R(13, 13), R(15, 16)]));
        Assert.Empty(PfnRanges.Coalesce([]));
    }
}
