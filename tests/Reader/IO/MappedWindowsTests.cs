using HvDumpKit.Reader.IO;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.IO;

/// <summary>
/// The 4 MiB mmap windows /proc/vmcore is read through, tried on a regular file (which maps the same
/// way) and on /dev/null (which refuses mmap).
/// </summary>
public sealed class MappedWindowsTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const long W = MappedWindows.WindowBytes;

    private (string Path, byte[] Data) File(long length)
    {
        var data = new byte[length];
        for (long i = 0; i < length; i++) data[i] = (byte)(i * 31 + (i >> 12));
        var p = _dir.File("f.bin");
        System.IO.File.WriteAllBytes(p, data);
        return (p, data);
    }

    [Fact]
    public void ReadAt_AcrossAWindowEdge_BothWindowsBytes()
    {
        var (path, data) = File(W + 8192);
        using var h = System.IO.File.OpenHandle(path);
        using var m = new MappedWindows(h, data.Length);
        var buf = new byte[300];
        Assert.Equal(300, m.ReadAt(W - 100, buf));
        Assert.Equal(data.AsSpan((int)(W - 100), 300).ToArray(), buf);
        // Back into the first window: its mapping was dropped, it is mapped again.
        Assert.Equal(300, m.ReadAt(5, buf));
        Assert.Equal(data.AsSpan(5, 300).ToArray(), buf);
        Assert.True(m.Usable);
    }

    [Fact]
    public void ReadAt_StopsAtTheGivenLength()
    {
        var (path, data) = File(10000);
        using var h = System.IO.File.OpenHandle(path);
        using var m = new MappedWindows(h, 6000);
        var buf = new byte[100];
        Assert.Equal(40, m.ReadAt(5960, buf));
        Assert.Equal(data.AsSpan(5960, 40).ToArray(), buf[..40]);
        Assert.Equal(new byte[60], buf[40..]);
        Assert.Equal(0, m.ReadAt(6000, buf));
        Assert.Equal(0, m.ReadAt(9000, buf));
    }

    [Fact]
    public void ReadAt_OneWindowPerThread_ConcurrentReadersInDifferentWindowsSeeTheirOwnBytes()
    {
        var (path, data) = File(3 * W);
        using var h = System.IO.File.OpenHandle(path);
        using var m = new MappedWindows(h, data.Length);
        var errors = 0;
        Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, t =>
        {
            var buf = new byte[4096];
            for (int i = 0; i < 200; i++)
            {
                long at = (t + i) % 3 * W + i * 4096L;
                if (m.ReadAt(at, buf) != 4096 || !buf.AsSpan().SequenceEqual(data.AsSpan((int)at, 4096))) Interlocked.Increment(ref errors);
            }
        });
        Assert.Equal(0, errors);
    }

    [Fact]
    public void ReadAt_AFileThatCannotBeMapped_NothingReadAndGivenUpAfterEightRefusals()
    {
        // /dev/null refuses mmap (ENODEV): each read returns 0 for the caller's pread fallback.
        using var h = System.IO.File.OpenHandle("/dev/null");
        using var m = new MappedWindows(h, 4096);
        var buf = new byte[16];
        for (int i = 0; i < 7; i++)
        {
            Assert.Equal(0, m.ReadAt(0, buf));
            Assert.True(m.Usable);
        }
        Assert.Equal(0, m.ReadAt(0, buf));
        Assert.False(m.Usable);
    }

    [Fact]
    public void Dispose_Twice_Harmless()
    {
        var (path, _) = File(4096);
        using var h = System.IO.File.OpenHandle(path);
        var m = new MappedWindows(h, 4096);
        Assert.Equal(16, m.ReadAt(0, new byte[16]));
        m.Dispose();
        m.Dispose();
    }
}
