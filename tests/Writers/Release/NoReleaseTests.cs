using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

public sealed class NoReleaseTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PerRange_AsGiven(bool perRange)
    {
        using var sink = new NoRelease(perRange);
        Assert.Equal(perRange, sink.PerRange);
        sink.Release(0x1000, 0x2000);
        sink.ReleaseAll();
        Assert.Equal(perRange, sink.PerRange);
    }
}
