using HvDumpKit.Reader.Codecs;
using Xunit;

namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>The incompressibility check's order-0 entropy, against the textbook formula.</summary>
public sealed class ZlibPageCodecTests
{
    private static double Naive(byte[] data)
    {
        var counts = new int[256];
        foreach (var b in data) counts[b]++;
        double h = 0;
        foreach (var c in counts)
            if (c > 0) h -= (double)c / data.Length * Math.Log2((double)c / data.Length);
        return h;
    }

    [Theory]
    [InlineData(4096, 1)]
    [InlineData(4096, 7)]
    [InlineData(65536, 3)]
    [InlineData(4099, 11)] // a length that is not a multiple of four
    public void MatchesTheFormula(int size, int seed)
    {
        var rng = new Random(seed);
        var data = new byte[size];
        for (int i = 0; i < size; i++) data[i] = (byte)(rng.Next(1 << (seed % 9)) * 3);
        Assert.Equal(Naive(data), ZlibPageCodec.Entropy(data), 9);
    }

    [Fact]
    public void KnownValues()
    {
        Assert.Equal(0, ZlibPageCodec.Entropy(new byte[4096]), 9);
        var half = new byte[4096];
        half.AsSpan(0, 2048).Fill(0xFF);
        Assert.Equal(1, ZlibPageCodec.Entropy(half), 9);
        var random = new byte[4096];
        new Random(5).NextBytes(random);
        Assert.True(ZlibPageCodec.Entropy(random) > ZlibPageCodec.IncompressibleEntropy);
        Assert.Equal(0, ZlibPageCodec.Entropy([]));
    }

    [Fact]
    public void AnEighthZeroBytes_NeverCountsAsIncompressible()
    {
        // The cheapest page with an eighth zeros: the rest spread evenly over the 255 other values.
        var page = new byte[4096];
        for (int i = 512; i < 4096; i++) page[i] = (byte)(1 + i % 255);
        Assert.False(ZlibPageCodec.MayBeIncompressible(page));
        Assert.True(ZlibPageCodec.Entropy(page) < ZlibPageCodec.IncompressibleEntropy);
        page[0] = 1; // one zero fewer than an eighth
        Assert.True(ZlibPageCodec.MayBeIncompressible(page));
    }

    [Fact]
    public void Compress_ZlibNg_TextPageDecodesBackRandomPageZero()
    {
        using var c = new ZlibPageCodec(6, ZlibEngine.ZlibNg);
        Assert.Equal(PageCompression.Zlib, c.Kind);
        Assert.Equal(ZlibEngine.ZlibNg, c.Engine);
        var page = CodecPages.Text();
        var dst = new byte[PageCodecs.MaxCompressedSize(4096)];
        int n = c.Compress(page, dst);
        Assert.InRange(n, 1, 300);
        Assert.Equal(0x78, dst[0]);
        var back = new byte[4096];
        Assert.Equal(4096, ZlibPageCodec.Decompress(dst.AsSpan(0, n), back));
        Assert.Equal(page, back);
        Assert.Equal(0, c.Compress(CodecPages.Random(), dst));
    }

    [Fact]
    public void MayBeIncompressible_FewerThanAnEighthZeroBytes()
    {
        var page = new byte[4096];
        page.AsSpan(0, 4096 - 511).Fill(1); // 511 zero bytes: under an eighth
        Assert.True(ZlibPageCodec.MayBeIncompressible(page));
        page[0] = 0;                         // 512: an eighth
        Assert.False(ZlibPageCodec.MayBeIncompressible(page));
    }
}
