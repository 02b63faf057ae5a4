using Snappier;

namespace HvDumpKit.Reader.Codecs;

/// <summary>Raw snappy block format (not the framing format), as makedumpfile -p writes.</summary>
public sealed class SnappyPageCodec : IPageCompressor
{
    private byte[] _scratch = Array.Empty<byte>();

    public PageCompression Kind => PageCompression.Snappy;

    public int Compress(ReadOnlySpan<byte> page, Span<byte> dst)
    {
        int bound = Snappy.GetMaxCompressedLength(page.Length);
        if (_scratch.Length < bound) _scratch = new byte[bound];
        int n = Snappy.Compress(page, _scratch);
        if (n >= page.Length || n > dst.Length) return 0;
        _scratch.AsSpan(0, n).CopyTo(dst);
        return n;
    }

    public static int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int len = Snappy.GetUncompressedLength(src);
        if (len != dst.Length) throw PageCodecs.Corrupt($"snappy data declares {len} bytes, not {dst.Length}");
        return Snappy.Decompress(src, dst);
    }

    public void Dispose() { }
}
