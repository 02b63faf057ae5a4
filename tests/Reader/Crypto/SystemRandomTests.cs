using HvDumpKit.Reader.Crypto;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto;

public sealed class SystemRandomTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(1 << 20)] // more than one getrandom(2) call may return
    public void Bytes_TheCountAsked(int count) => Assert.Equal(count, SystemRandom.Bytes(count).Length);

    [Fact]
    public void Bytes_TwoKeysDiffer()
    {
        Assert.NotEqual(SystemRandom.Bytes(32), SystemRandom.Bytes(32));
    }

    [Fact]
    public void Fill_WritesTheWholeSpanOnly()
    {
        var buffer = new byte[4096 + 2];
        SystemRandom.Fill(buffer.AsSpan(1, 4096));
        Assert.Equal(0, buffer[0]);
        Assert.Equal(0, buffer[^1]);
        // 4096 random bytes: all-zero, or fewer than 200 distinct values, would take a broken generator.
        Assert.True(buffer.Skip(1).Take(4096).Distinct().Count() > 200);
    }
}
