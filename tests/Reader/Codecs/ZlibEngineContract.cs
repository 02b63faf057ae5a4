using HvDumpKit.Reader.Codecs;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>
/// What every native zlib engine behind ZlibPageCodec must do (the engines are internal, so they are driven
/// through the codec's engine choice): a text page becomes an RFC 1950 stream that decodes back, a random
/// page does not compress. Each engine's test class names the engine and whether this machine has it.
/// </summary>
public abstract class ZlibEngineContract(ZlibEngine engine, bool available)
{
    private void NeedIt() => Skip.IfNot(RealTools.Required || available, $"{engine} not available here");

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(6)]
    public void Compress_TextPage_ZlibStreamThatDecodesBack(int level)
    {
        NeedIt();
        using var c = new ZlibPageCodec(level, engine);
        Assert.Equal(engine, c.Engine);
        var page = CodecPages.Text();
        var dst = new byte[PageCodecs.MaxCompressedSize(4096)];
        int n = c.Compress(page, dst);
        Assert.InRange(n, 1, 300);
        Assert.Equal(0x78, dst[0]); // CMF: deflate, 32 KiB window (RFC 1950)
        Assert.Equal(0, (dst[0] * 256 + dst[1]) % 31);
        var back = new byte[4096];
        Assert.Equal(4096, ZlibPageCodec.Decompress(dst.AsSpan(0, n), back));
        Assert.Equal(page, back);
    }

    [SkippableFact]
    public void Compress_RandomPage_Zero()
    {
        NeedIt();
        using var c = new ZlibPageCodec(6, engine);
        Assert.Equal(0, c.Compress(CodecPages.Random(), new byte[8192]));
    }
}
