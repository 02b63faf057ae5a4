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
    [LibraryImport(Lib)] private static partial nuint libdeflate_zlib_compress(nint c, byte* input, nuint inBytes, byte* output, nuint outAvail);
    [LibraryImport(Lib)] private static partial void libdeflate_free_compressor(nint c);

    private readonly nint _compressor;

    public LibDeflate(int level)
    {
        _compressor = libdeflate_alloc_compressor(level);
        if (_compressor == 0) throw new InvalidOperationException($"libdeflate_alloc_compressor({level}) failed");
    }

    public static bool IsAvailable()
    {
        try { return NativeLibrary.TryLoad(Lib, out _); } catch { return false; }
    }

    /// <summary>Compressed length, or 0 when the result would not be strictly smaller than the page.</summary>
    public int Compress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int cap = Math.Min(dst.Length, src.Length - 1);
        fixed (byte* s = src) fixed (byte* d = dst)
            return (int)libdeflate_zlib_compress(_compressor, s, (nuint)src.Length, d, (nuint)cap);
    }

    public void Dispose() => libdeflate_free_compressor(_compressor);
}
