using HvDumpKit.Cli;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("32M", 32L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData(" 1K ", 1024L)]
    public void TryParse_Valid_Bytes(string s, long bytes) => Assert.Equal(bytes, ByteSize.TryParse(s));

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1M")]
    [InlineData("12Q")]
    [InlineData("M")]
    [InlineData("99999999999G")]
    public void TryParse_Invalid_Null(string s) => Assert.Null(ByteSize.TryParse(s));

    [Fact]
    public void TryParse_NoTrim_SpacesRefused() => Assert.Null(ByteSize.TryParse(" 1K", trim: false));
}
