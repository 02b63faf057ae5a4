using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using Xunit;

namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>One zstd frame per page, as makedumpfile -z writes (kdump-compressed.md §6).</summary>
public sealed class ZstdPageCodecTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(19)]
    public void Compress_TextPage_OneFrameThatDecodesBack(int level)
    {
        using var c = new ZstdPageCodec(level);
        Assert.Equal(PageCompression.Zstd, c.Kind);
        var page = CodecPages.Text();
        var dst = new byte[PageCodecs.MaxCompressedSize(4096)];
        int n = c.Compress(page, dst);
        Assert.InRange(n, 1, 200);
        Assert.Equal(new byte[] { 0x28, 0xB5, 0x2F, 0xFD }, dst.AsSpan(0, 4).ToArray()); // the frame magic
        var back = new byte[4096];
        Assert.Equal(4096, ZstdPageCodec.Decompress(dst.AsSpan(0, n), back));
        Assert.Equal(page, back);
    }

    [Fact]
    public void Compress_RandomPage_ZeroStoredRaw()
    {
        using var c = new ZstdPageCodec(1);
        Assert.Equal(0, c.Compress(CodecPages.Random(), new byte[8192]));
    }

    [Fact]
    public void Decompress_FrameDeclaringAnotherSize_Corrupt()
    {
        using var c = new ZstdPageCodec(1);
        var dst = new byte[8192];
        int n = c.Compress(CodecPages.Text(8192), dst);
        var ex = Assert.Throws<DumpFormatException>(() => ZstdPageCodec.Decompress(dst.AsSpan(0, n), new byte[4096]));
        Assert.Contains("zstd frame declares 8192 bytes, not 4096", ex.Message);
    }
}
