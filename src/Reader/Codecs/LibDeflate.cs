using System.Runtime.InteropServices;

namespace HvDumpKit.Reader.Codecs;

/// <summary>
/// libdeflate (Debian libdeflate0): whole-buffer DEFLATE in the zlib wrapper, with a reusable
/// compressor and no per-call set-up — made for exactly our case of one small buffer at a time.
/// Its output is ordinary RFC 1950 data that zlib's uncompress() (crash, makedumpfile) reads.
/// </summary>
internal sealed unsafe partial class LibDeflate : IDisposable
{
    private const string Lib = "libdeflate.so.0";

    [LibraryImport(Lib)] private static partial nint libdeflate_alloc_compressor(int level);
    [LibraryImport(Lib)]
    private static partial nuint libdeflate_zlib_compress(nint c, byte* input, nuint inBytes, byte* output,
        nuint outAvail);
    [LibraryImport(Lib)] private static partial void libdeflate_free_compressor(nint c);
    [LibraryImport(Lib)] private static partial nint libdeflate_alloc_decompressor();
    [LibraryImport(Lib)]
    private static partial int libdeflate_zlib_decompress(nint d, byte* input, nuint inBytes, byte* output,
        nuint outAvail, nuint* actualOut);

    [ThreadStatic] private static nint t_decompressor;
    // A call, not a dlopen: a libdeflate linked into the NativeAOT binary counts too.
    private static readonly Lazy<bool> s_available =
        new(() => NativeProbe.Works(() => libdeflate_free_compressor(libdeflate_alloc_compressor(1))));

    /// <summary>Decodes one zlib stream into dst; returns the decoded length, or -1 on corrupt data.</summary>
    public static int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        if (t_decompressor == 0) t_decompressor = libdeflate_alloc_decompressor();
        nuint actual = 0;
        fixed (byte* s = src) fixed (byte* d = dst)
        {
            int rc = libdeflate_zlib_decompress(t_decompressor, s, (nuint)src.Length, d, (nuint)dst.Length, &actual);
            return rc == 0 ? (int)actual : -1;
        }
    }

    private readonly nint _compressor;

    public LibDeflate(int level)
    {
        _compressor = libdeflate_alloc_compressor(level);
        if (_compressor == 0) throw new InvalidOperationException($"libdeflate_alloc_compressor({level}) failed");
    }

    public static bool IsAvailable() => s_available.Value;

    /// <summary>Compressed length, or 0 when the result would not be strictly smaller than the page.</summary>
    public int Compress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int cap = Math.Min(dst.Length, src.Length - 1);
        fixed (byte* s = src) fixed (byte* d = dst)
            return (int)libdeflate_zlib_compress(_compressor, s, (nuint)src.Length, d, (nuint)cap);
    }

    public void Dispose() => libdeflate_free_compressor(_compressor);
}
