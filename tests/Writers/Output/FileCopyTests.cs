using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

/// <summary>File-to-file copy in large overlapped chunks, for pages stored as they are.</summary>
public sealed class FileCopyTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, 1)]
    [InlineData(100, 4096 * 3 + 17)] // several chunks, the last one short
    public void FileCopy_OverlappedChunks_SameBytes(long from, long length)
    {
        var src = _dir.File("src.bin");
        var bytes = new byte[64 * 1024];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(src, bytes);
        var dst = _dir.File("dst.bin");
        using (var fs = File.Create(dst))
        using (var sink = new HvDumpKit.Writers.Output.Sinks.FileSink(fs.SafeFileHandle, ownsHandle: false))
        using (var input = File.OpenHandle(src))
            new HvDumpKit.Writers.Output.FileCopy(4096).Copy(input, from, sink, 10, length);
        var got = File.ReadAllBytes(dst);
        Assert.Equal(bytes.AsSpan((int)from, (int)length).ToArray(), got.AsSpan(10).ToArray());
    }

    [Fact]
    public void FileCopy_InputShorterThanAsked_SaysWhere()
    {
        var src = _dir.File("short.bin");
        File.WriteAllBytes(src, new byte[10000]);
        using var fs = File.Create(_dir.File("out.bin"));
        using var sink = new HvDumpKit.Writers.Output.Sinks.FileSink(fs.SafeFileHandle, ownsHandle: false);
        using var input = File.OpenHandle(src);
        var ex = Assert.Throws<IOException>(() => new HvDumpKit.Writers.Output.FileCopy(4096).Copy(input, 0, sink, 0, 20000));
        Assert.Contains("0x2710", ex.Message);
    }
}
