using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using Xunit;

namespace HvDumpKit.Tests.Reader.Codecs;

public sealed class PageCompressionTests
{
    /// <summary>A page that does not decode is malformed input like any other: one exception type.</summary>
    [Theory]
    [InlineData(PageCompression.Zlib, new byte[] { 0x78, 0x01, 0xFF, 0xFF })]
    [InlineData(PageCompression.Zstd, new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0, 0 })]
    [InlineData(PageCompression.Snappy, new byte[] { 0x80, 0x20, 0xFF })]
    public void Decompress_Garbage_DumpFormatExceptionNamingPageData(PageCompression kind, byte[] data)
    {
        var ex = Assert.Throws<DumpFormatException>(() => PageCodecs.Decompress(kind, data, new byte[4096]));
        Assert.Equal("page data", ex.FieldName);
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void Decompress_UnknownFlags_DumpFormatException()
    {
        var ex = Assert.Throws<DumpFormatException>(() => PageCodecs.Decompress((PageCompression)0x40, new byte[] { 1 }, new byte[4096]));
        Assert.Contains("unknown compression flags 0x40", ex.Message);
    }
}
