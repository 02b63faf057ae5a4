using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HvDumpKit.Reader.Codecs;

/// <summary>
/// LZO1X-1 through Debian's liblzo2 (the library makedumpfile links), lzo1x_decompress_safe to read, which
/// bounds-checks corrupt input instead of crashing. To write, the LZO1X-1 variant whose dictionary fits
/// the page: every call clears its dictionary first, and lzo1x_1_compress's (the one makedumpfile calls,
/// 2^14 entries, a 32 KiB memset) is eight times the 4 KiB page it compresses — on a page-per-call
/// workload most of the cost, and under QEMU TCG (where glibc's AVX2 memset is emulated) almost all of
/// it. lzo1x_1_11 (2^11 entries) for pages up to 4 KiB, lzo1x_1_12 up to 16 KiB, lzo1x_1 above: the
/// same LZO1X stream format, read by every LZO1X decompressor (makedumpfile's, crash's, libkdumpfile's),
/// 0.1% (-d 0) to 0.75% (-d 31) larger on the 512 MiB fixture.
/// </summary>
public sealed unsafe partial class LzoPageCodec : IPageCompressor
{
    private const string Lib = "liblzo2.so.2";
    // LZO1X_1_MEM_COMPRESS is 16384 dictionary entries of pointer size: 128 KiB on 64-bit hosts.
    private const int WorkMemSize = 16384 * 8;
    private readonly byte[] _work = new byte[WorkMemSize];

    [LibraryImport(Lib)]
    private static partial int lzo1x_1_compress(byte* src, nuint srcLen, byte* dst, nuint* dstLen, byte* wrkmem);

    [LibraryImport(Lib)]
    private static partial int lzo1x_1_11_compress(byte* src, nuint srcLen, byte* dst, nuint* dstLen, byte* wrkmem);

    [LibraryImport(Lib)]
    private static partial int lzo1x_1_12_compress(byte* src, nuint srcLen, byte* dst, nuint* dstLen, byte* wrkmem);

    [LibraryImport(Lib)]
    private static partial uint lzo_version();

    [LibraryImport(Lib)]
    private static partial int lzo1x_decompress_safe(byte* src, nuint srcLen, byte* dst, nuint* dstLen, void* wrkmem);

    public PageCompression Kind => PageCompression.Lzo;

    private static readonly Lazy<bool> s_available = new(() => NativeProbe.Works(() => lzo_version()));

    /// <summary>
    /// True when liblzo2 answers here: linked into the NativeAOT binary (scripts/publish.sh) or
    /// loadable as liblzo2.so.2. A call, not a dlopen, so a statically linked copy counts.
    /// </summary>
    public static bool IsAvailable() => s_available.Value;

    /// <summary>log2 of the dictionary entries of the LZO1X-1 variant that compresses a page of this length.</summary>
    internal static int DictionaryBits(int pageLength) => pageLength <= 4096 ? 11 : pageLength <= 16384 ? 12 : 14;

    public int Compress(ReadOnlySpan<byte> page, Span<byte> dst)
    {
        // LZO's worst case is page + page/16 + 64 + 3; compress into scratch sized for it.
        int bound = page.Length + page.Length / 16 + 64 + 3;
        Span<byte> tmp = dst.Length >= bound ? dst : new byte[bound];
        nuint outLen = (nuint)tmp.Length;
        fixed (byte* s = page) fixed (byte* d = tmp) fixed (byte* w = _work)
        {
            int rc = DictionaryBits(page.Length) switch
            {
                11 => lzo1x_1_11_compress(s, (nuint)page.Length, d, &outLen, w),
                12 => lzo1x_1_12_compress(s, (nuint)page.Length, d, &outLen, w),
                _ => lzo1x_1_compress(s, (nuint)page.Length, d, &outLen, w),
            };
            if (rc != 0) return 0;
        }
        int n = (int)outLen;
        if (n >= page.Length) return 0;
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(tmp), ref MemoryMarshal.GetReference(dst))) tmp[..n].CopyTo(dst);
        return n;
    }

    public static int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        nuint outLen = (nuint)dst.Length;
        fixed (byte* s = src) fixed (byte* d = dst)
        {
            int rc = lzo1x_decompress_safe(s, (nuint)src.Length, d, &outLen, null);
            if (rc != 0) throw PageCodecs.Corrupt($"lzo1x_decompress_safe failed with error {rc}");
        }
        return (int)outLen;
    }

    public void Dispose() { }
}
