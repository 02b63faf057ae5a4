using HvDumpKit.Reader.IO;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.IO;

public sealed class PlainFileInputTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Write(byte[] data)
    {
        var p = _dir.File("f.bin");
        File.WriteAllBytes(p, data);
        return p;
    }

    [Fact]
    public void RegularFile_ItsLengthPreadAtAnyOffsetNotMapped()
    {
        var data = Enumerable.Range(0, 10000).Select(i => (byte)(i * 7)).ToArray();
        using var input = new PlainFileInput(Write(data));
        Assert.Equal(_dir.File("f.bin"), input.Path);
        Assert.Equal(10000, input.Length);
        Assert.False(input.Mapped);
        var buffer = new byte[100];
        Assert.Equal(100, input.ReadAt(9000, buffer));
        Assert.Equal(data.AsSpan(9000, 100).ToArray(), buffer);
        // Out of order: no stream position is involved.
        Assert.Equal(100, input.ReadAt(0, buffer));
        Assert.Equal(data.AsSpan(0, 100).ToArray(), buffer);
    }

    [Fact]
    public void ReadAt_AcrossTheEnd_ReturnsWhatTheFileHas()
    {
        using var input = new PlainFileInput(Write([1, 2, 3, 4, 5]));
        var buffer = new byte[8];
        Assert.Equal(2, input.ReadAt(3, buffer));
        Assert.Equal(new byte[] { 4, 5, 0, 0, 0, 0, 0, 0 }, buffer);
        Assert.Equal(0, input.ReadAt(5, buffer));
    }

    [Fact]
    public void EmptyFile_LengthUnknownReadsNothing()
    {
        // A size of 0 is what character devices and pipes report: the length is then unbounded.
        using var input = new PlainFileInput(Write([]));
        Assert.Equal(long.MaxValue, input.Length);
        Assert.Equal(0, input.ReadAt(0, new byte[16]));
    }

    [Fact]
    public void Missing_FileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => new PlainFileInput(_dir.File("absent")));
    }
}
