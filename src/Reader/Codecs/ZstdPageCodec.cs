using ZstdSharp;

namespace HvDumpKit.Reader.Codecs;

/// <summary>One zstd frame per page (ZSTD_compressCCtx), as makedumpfile -z writes.</summary>
public sealed class ZstdPageCodec : IPageCompressor
{
    private readonly Compressor _compressor;
    private byte[] _scratch = Array.Empty<byte>();

    [ThreadStatic] private static Decompressor? t_decompressor;

    public ZstdPageCodec(int level) => _compressor = new Compressor(Math.Clamp(level, 1, 19));

    public PageCompression Kind => PageCompression.Zstd;

    public int Compress(ReadOnlySpan<byte> page, Span<byte> dst)
    {
        int bound = Compressor.GetCompressBound(page.Length);
        if (_scratch.Length < bound) _scratch = new byte[bound];
        int n = _compressor.Wrap(page, _scratch);
        if (n >= page.Length || n > dst.Length) return 0;
        _scratch.AsSpan(0, n).CopyTo(dst);
        return n;
    }

    public static int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        var d = t_decompressor ??= new Decompressor();
        ulong declared = Decompressor.GetDecompressedSize(src);
        if (declared != 0 && declared != (ulong)dst.Length)
            throw PageCodecs.Corrupt($"zstd frame declares {declared} bytes, not {dst.Length}");
        return d.Unwrap(src, dst);
    }

    public void Dispose() => _compressor.Dispose();
}
