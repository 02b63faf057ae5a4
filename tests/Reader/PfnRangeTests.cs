using HvDumpKit.Reader;
using Xunit;

namespace HvDumpKit.Tests.Reader;

/// <summary>[Start, End): the start is in it, the end is not.</summary>
public sealed class PfnRangeTests
{
    [Theory]
    [InlineData(9UL, false)]
    [InlineData(10UL, true)]
    [InlineData(19UL, true)]
    [InlineData(20UL, false)]
    public void Contains_HalfOpen(ulong pfn, bool inside) => Assert.Equal(inside, new PfnRange(10, 20).Contains(pfn));

    [Fact]
    public void Count_EndMinusStart_EmptyIsZero()
    {
        Assert.Equal(10UL, new PfnRange(10, 20).Count);
        Assert.Equal(0UL, new PfnRange(7, 7).Count);
        Assert.False(new PfnRange(7, 7).Contains(7));
    }
}
