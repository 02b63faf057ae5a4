using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

public sealed class ReleaseRegionFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Release_OneHexLinePerRangeAsTheKernelsSscanfReadsIt()
    {
        var path = _dir.File("release_region");
        File.WriteAllText(path, "");
        using (var sink = new ReleaseRegionFile(path))
        {
            Assert.True(sink.PerRange);
            sink.Release(0x4000_0000, 0x100_0000);
            sink.Release(0x2_0000_0000, 0x1000);
            // Each line is flushed as it is released: the kernel sees it before the next.
            Assert.Equal("0x40000000 0x1000000\n", File.ReadAllText(path)[..21]);
            sink.ReleaseAll();
        }
        Assert.Equal("0x40000000 0x1000000\n0x200000000 0x1000\n", File.ReadAllText(path));
    }

    [Fact]
    public void Open_MissingFile_NotCreated()
    {
        // The kernel makes release_region; a missing one means no phyp dump, never a new regular file.
        Assert.Throws<FileNotFoundException>(() => new ReleaseRegionFile(_dir.File("absent")));
        Assert.False(File.Exists(_dir.File("absent")));
    }
}
