using System.IO.Compression;

namespace HvDumpKit.Reader.Codecs;

public enum ZlibEngine { Auto, LibDeflate, SystemZlib, ZlibNg }

/// <summary>Per-page zlib (RFC 1950), one complete stream per page, as makedumpfile's compress2().</summary>
public sealed class ZlibPageCodec : IPageCompressor
{
    private readonly ZLibCompressionOptions _options;
    private readonly NativeZlib? _native;
    private readonly LibDeflate? _libdeflate;
    private byte[] _scratch = Array.Empty<byte>();

    /// <param name="engine">Auto: libdeflate if installed, else Debian's libz.so.1 with a reused stream
    /// (makedumpfile's exact bytes), else .NET's zlib-ng. HVDUMP_ZLIB=libdeflate|zlib|ng overrides Auto.</param>
    public ZlibPageCodec(int level, ZlibEngine engine = ZlibEngine.Auto)
    {
        _options = new ZLibCompressionOptions
        {
            CompressionLevel = Math.Clamp(level, 1, 9),
            CompressionStrategy = ZLibCompressionStrategy.Default
        };
        if (engine == ZlibEngine.Auto)
            engine = Environment.GetEnvironmentVariable("HVDUMP_ZLIB") switch
            {
                "libdeflate" => ZlibEngine.LibDeflate,
                "zlib" => ZlibEngine.SystemZlib,
                "ng" => ZlibEngine.ZlibNg,
                _ => LibDeflate.IsAvailable() ? ZlibEngine.LibDeflate : NativeZlib.IsAvailable() ? ZlibEngine.SystemZlib
                    : ZlibEngine.ZlibNg,
            };
        Engine = engine;
        if (engine == ZlibEngine.LibDeflate) _libdeflate = new LibDeflate(Math.Clamp(level, 1, 12));
        else if (engine == ZlibEngine.SystemZlib) _native = new NativeZlib(Math.Clamp(level, 1, 9));
    }

    public ZlibEngine Engine { get; }

    /// <summary>The native zlib engines that answer in this process (for `hvdump --version`).</summary>
    public static (bool LibDeflate, bool SystemZlib) NativeEngines => (LibDeflate.IsAvailable(), NativeZlib.IsAvailable());

    /// <summary>
    /// The default level, chosen by bench/compare.sh on the 512 MiB QEMU fixture: libdeflate level 2
    /// is the fastest (6.8x makedumpfile -c -d 0) and 0.8% smaller; zlib's level 1 is makedumpfile's own.
    /// </summary>
    public static int DefaultLevel => Environment.GetEnvironmentVariable("HVDUMP_ZLIB") is null or "libdeflate"
        && LibDeflate.IsAvailable() ? 2 : 1;

    public PageCompression Kind => PageCompression.Zlib;

    /// <summary>
    /// Order-0 entropy (bits per byte) above which deflate cannot make a page smaller: its
    /// Huffman stage gains nothing and random-looking data has no matches. zlib spends its most
    /// time on exactly these pages (a third of a typical dump) only to store them raw.
    /// </summary>
    public const double IncompressibleEntropy = 7.95;

    public int Compress(ReadOnlySpan<byte> page, Span<byte> dst)
    {
        if (MayBeIncompressible(page) && Entropy(page) > IncompressibleEntropy) return 0;
        if (_libdeflate is not null) return _libdeflate.Compress(page, dst);
        if (_native is not null) return _native.Compress(page, dst);
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

    /// <summary>
    /// False when the page surely compresses, decided by one vectorized count: with at least an
    /// eighth of its bytes zero, order-0 entropy is at most H(1/8) + 7/8·log2(255) ≈ 7.54 bits per
    /// byte, below IncompressibleEntropy — so the histogram (dearer) is needed only for the rest.
    /// </summary>
    public static bool MayBeIncompressible(ReadOnlySpan<byte> page) => (long)page.Count((byte)0) * 8 < page.Length;

    /// <summary>
    /// Order-0 entropy in bits per byte: log2(n) − Σ c·log2(c) / n. Counted into four interleaved
    /// histograms, so consecutive equal bytes (most of a kernel page) do not wait on each other's
    /// increments; this check ran at a tenth of all CPU time at -d 31 before.
    /// </summary>
    public static double Entropy(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return 0;
        Span<int> c = stackalloc int[1024];
        c.Clear();
        ref byte d = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data);
        ref int h = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(c);
        int i = 0, len = data.Length;
        for (; i + 4 <= len; i += 4)
        {
            System.Runtime.CompilerServices.Unsafe.Add(ref h, System.Runtime.CompilerServices.Unsafe.Add(ref d, i))++;
            System.Runtime.CompilerServices.Unsafe.Add(ref h, 256 + System.Runtime.CompilerServices.Unsafe.Add(ref d, i + 1))++;
            System.Runtime.CompilerServices.Unsafe.Add(ref h, 512 + System.Runtime.CompilerServices.Unsafe.Add(ref d, i + 2))++;
            System.Runtime.CompilerServices.Unsafe.Add(ref h, 768 + System.Runtime.CompilerServices.Unsafe.Add(ref d, i + 3))++;
        }
        for (; i < len; i++) c[data[i]]++;
        double sum = 0;
        for (int b = 0; b < 256; b++)
        {
            int n = c[b] + c[256 + b] + c[512 + b] + c[768 + b];
            if (n > 1) sum += n * Math.Log2(n);
        }
        return Math.Log2(len) - sum / len;
    }

    public static unsafe int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        if (LibDeflate.IsAvailable())
        {
            int n = LibDeflate.Decompress(src, dst);
            if (n < 0) throw PageCodecs.Corrupt("zlib data is corrupt or does not decode to one page");
            return n;
        }
        fixed (byte* p = src)
        {
            using var ums = new UnmanagedMemoryStream(p, src.Length);
            using var z = new ZLibStream(ums, CompressionMode.Decompress);
            int total = 0, n;
            while (total < dst.Length && (n = z.Read(dst[total..])) > 0) total += n;
            if (total == dst.Length)
            {
                Span<byte> one = stackalloc byte[1];
                if (z.Read(one) > 0) throw PageCodecs.Corrupt("zlib data decodes to more than one page");
            }
            return total;
        }
    }

    public void Dispose()
    {
        _libdeflate?.Dispose();
        _native?.Dispose();
    }
}
