using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>LZO1X-1 through liblzo2, as makedumpfile -l writes.</summary>
public sealed class LzoPageCodecTests
{
    private static void NeedLzo() => Skip.IfNot(RealTools.Required || LzoPageCodec.IsAvailable(), "liblzo2 not installed");

    [SkippableFact]
    public void Compress_TextPage_DecodesBack()
    {
        NeedLzo();
        using var c = new LzoPageCodec();
        Assert.Equal(PageCompression.Lzo, c.Kind);
        var page = CodecPages.Text();
        var small = new byte[100]; // smaller than LZO's worst case: compressed into scratch, then copied
        int n = c.Compress(page, small);
        Assert.InRange(n, 1, 100);
        var back = new byte[4096];
        Assert.Equal(4096, LzoPageCodec.Decompress(small.AsSpan(0, n), back));
        Assert.Equal(page, back);
    }

    [Theory]
    [InlineData(4096, 11)]
    [InlineData(8192, 12)]
    [InlineData(16384, 12)]
    [InlineData(65536, 14)]
    public void DictionaryBits_SizedToThePage(int pageLength, int bits) => Assert.Equal(bits, LzoPageCodec.DictionaryBits(pageLength));

    /// <summary>Each variant (4, 16 and 64 KiB pages) writes LZO1X that lzo1x_decompress_safe reads back.</summary>
    [SkippableTheory]
    [InlineData(4096)]
    [InlineData(16384)]
    [InlineData(65536)]
    public void Compress_EachPageSize_DecodesBack(int size)
    {
        NeedLzo();
        using var c = new LzoPageCodec();
        var page = new byte[size];
        var rng = new Random(size);
        // Random 512-byte runs, each followed by three copies of itself: matches for every variant to find.
        for (int at = 0; at < size; at += 512)
            if (at % 2048 == 0) rng.NextBytes(page.AsSpan(at, 512));
            else page.AsSpan(at - 512, 512).CopyTo(page.AsSpan(at));
        var dst = new byte[size + size / 16 + 67];
        int n = c.Compress(page, dst);
        Assert.InRange(n, 1, size - 1);
        var back = new byte[size];
        Assert.Equal(size, LzoPageCodec.Decompress(dst.AsSpan(0, n), back));
        Assert.Equal(page, back);
    }

    [SkippableFact]
    public void Compress_RandomPage_Zero()
    {
        NeedLzo();
        using var c = new LzoPageCodec();
        Assert.Equal(0, c.Compress(CodecPages.Random(), new byte[8192]));
    }

    [SkippableFact]
    public void Decompress_Garbage_CorruptNamingTheError()
    {
        NeedLzo();
        var ex = Assert.Throws<DumpFormatException>(() => LzoPageCodec.Decompress(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, new byte[4096]));
        Assert.Equal("page data", ex.FieldName);
        Assert.Contains("lzo1x_decompress_safe failed with error", ex.Message);
    }
}
