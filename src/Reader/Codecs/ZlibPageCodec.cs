using System.IO.Compression;

namespace HvDumpKit.Reader.Codecs;

/// <summary>Per-page zlib (RFC 1950) as makedumpfile's compress2(): one stream per page.</summary>
public sealed class ZlibPageCodec : IPageCompressor
{
    private readonly ZLibCompressionOptions _options;
    private byte[] _scratch = Array.Empty<byte>();

    public ZlibPageCodec(int level)
    {
        _options = new ZLibCompressionOptions { CompressionLevel = Math.Clamp(level, 1, 9), CompressionStrategy = ZLibCompressionStrategy.Default };
    }

    public PageCompression Kind => PageCompression.Zlib;

    public int Compress(ReadOnlySpan<byte> page, Span<byte> dst)
    {
        int cap = Math.Min(dst.Length, page.Length - 1);
        if (_scratch.Length < cap) _scratch = new byte[cap];
        var ms = new MemoryStream(_scratch, 0, cap, writable: true);
        try
        {
            using (var z = new ZLibStream(ms, _options, leaveOpen: true))
                z.Write(page);
        }
        catch (NotSupportedException)
        {
            return 0; // did not fit: the page does not shrink, store it raw
        }
        int n = (int)ms.Position;
        if (n >= page.Length) return 0;
        _scratch.AsSpan(0, n).CopyTo(dst);
        return n;
    }

    public static unsafe int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        fixed (byte* p = src)
        {
            using var ums = new UnmanagedMemoryStream(p, src.Length);
            using var z = new ZLibStream(ums, CompressionMode.Decompress);
            int total = 0, n;
            while (total < dst.Length && (n = z.Read(dst[total..])) > 0) total += n;
            if (total == dst.Length)
            {
                Span<byte> one = stackalloc byte[1];
                if (z.Read(one) > 0) throw new PageDecodeException("zlib data decodes to more than one page");
            }
            return total;
        }
    }

    public void Dispose() { }
}
