using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using Xunit;

namespace HvDumpKit.Tests.Reader.Codecs;

public sealed class PageCodecsTests
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

    [Theory]
    [InlineData("zlib", PageCompression.Zlib, 0x01u)]
    [InlineData("LZO", PageCompression.Lzo, 0x02u)]
    [InlineData("snappy", PageCompression.Snappy, 0x04u)]
    [InlineData("zstd", PageCompression.Zstd, 0x20u)]
    [InlineData("none", PageCompression.None, 0x00u)]
    public void Parse_NamesToTheDiskDumpStatusFlags(string name, PageCompression kind, uint flag)
    {
        Assert.Equal(kind, PageCodecs.Parse(name));
        Assert.Equal(flag, (uint)kind);
        Assert.Equal(name.ToLowerInvariant(), PageCodecs.Name(kind));
    }

    [Fact]
    public void Parse_Unknown_ListsTheKnown()
    {
        var ex = Assert.Throws<ArgumentException>(() => PageCodecs.Parse("gzip"));
        Assert.Contains("(zlib, lzo, snappy, zstd, none)", ex.Message);
        Assert.Equal("0x40", PageCodecs.Name((PageCompression)0x40));
    }

    [Fact]
    public void CreateCompressor_EachKind_NoneRefused()
    {
        foreach (var kind in new[] { PageCompression.Zlib, PageCompression.Lzo, PageCompression.Snappy, PageCompression.Zstd })
            using (var c = PageCodecs.CreateCompressor(kind, 1)) Assert.Equal(kind, c.Kind);
        Assert.Throws<ArgumentException>(() => PageCodecs.CreateCompressor(PageCompression.None, 1));
        Assert.Equal(4096 + 512 + 256, PageCodecs.MaxCompressedSize(4096));
    }

    [Fact]
    public void Decompress_WrongLength_SaysHowMany()
    {
        using var c = PageCodecs.CreateCompressor(PageCompression.Zlib, 1);
        var dst = new byte[4096];
        int n = c.Compress(CodecPages.Text(), dst);
        var ex = Assert.Throws<DumpFormatException>(() => PageCodecs.Decompress(PageCompression.Zlib, dst.AsSpan(0, n), new byte[8192]));
        Assert.Contains("zlib data decodes to 4096 bytes, not 8192", ex.Message);
    }
}
