using HvDumpKit.Reader.IO;
using Xunit;

namespace HvDumpKit.Tests.Reader.IO;

public sealed class MemoryInputTests
{
    private static readonly byte[] Data = [10, 11, 12, 13, 14, 15, 16];

    [Fact]
    public void PathAndLength_TheArraysAndTheNameGiven()
    {
        using var input = new MemoryInput(Data, "fixture.bin");
        Assert.Equal("fixture.bin", input.Path);
        Assert.Equal(7, input.Length);
        Assert.Equal("<memory>", new MemoryInput(Data).Path);
    }

    [Fact]
    public void ReadAt_Middle_CopiesThoseBytes()
    {
        using var input = new MemoryInput(Data);
        var buffer = new byte[3];
        Assert.Equal(3, input.ReadAt(2, buffer));
        Assert.Equal(new byte[] { 12, 13, 14 }, buffer);
    }

    [Fact]
    public void ReadAt_PastTheEnd_ShortReadThenZero()
    {
        using var input = new MemoryInput(Data);
        var buffer = new byte[4];
        Assert.Equal(2, input.ReadAt(5, buffer));
        Assert.Equal(new byte[] { 15, 16, 0, 0 }, buffer);
        Assert.Equal(0, input.ReadAt(7, buffer));
        Assert.Equal(0, input.ReadAt(100, buffer));
        Assert.Equal(0, input.ReadAt(-1, buffer));
    }
}
