using HvDumpKit.Reader.Codecs;
using Xunit;

namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>Raw snappy blocks (no framing), as makedumpfile -p writes.</summary>
public sealed class SnappyPageCodecTests
{
    [Fact]
    public void Compress_TextPage_VarintLengthThenDecodesBack()
    {
        using var c = new SnappyPageCodec();
        Assert.Equal(PageCompression.Snappy, c.Kind);
        var page = CodecPages.Text();
        var dst = new byte[PageCodecs.MaxCompressedSize(4096)];
        int n = c.Compress(page, dst);
        Assert.InRange(n, 1, 400);
        Assert.Equal(new byte[] { 0x80, 0x20 }, dst.AsSpan(0, 2).ToArray()); // 4096 as a varint
        var back = new byte[4096];
        Assert.Equal(4096, SnappyPageCodec.Decompress(dst.AsSpan(0, n), back));
        Assert.Equal(page, back);
    }

    [Fact]
    public void Compress_RandomPage_Zero()
    {
        using var c = new SnappyPageCodec();
        Assert.Equal(0, c.Compress(CodecPages.Random(), new byte[8192]));
    }

    [Fact]
    public void Decompress_DeclaredLengthNotThePage_Corrupt()
    {
        using var c = new SnappyPageCodec();
        var dst = new byte[8192];
        int n = c.Compress(CodecPages.Text(), dst);
        var ex = Assert.Throws<HvDumpKit.Reader.DumpFormatException>(() => SnappyPageCodec.Decompress(dst.AsSpan(0, n), new byte[8192]));
        Assert.Contains("snappy data declares 4096 bytes, not 8192", ex.Message);
    }
}
