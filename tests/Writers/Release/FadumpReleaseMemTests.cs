using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

public sealed class FadumpReleaseMemTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Release_PerRangeIgnored_ReleaseAllWritesOne()
    {
        var path = _dir.File("release_mem");
        using var sink = new FadumpReleaseMem(path);
        Assert.False(sink.PerRange);
        sink.Release(0x1000, 0x1000);
        Assert.False(File.Exists(path));
        sink.ReleaseAll();
        Assert.Equal("1\n", File.ReadAllText(path));
    }
}
