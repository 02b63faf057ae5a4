using System.Runtime.InteropServices;

namespace HvDumpKit.Reader.Codecs;

/// <summary>
/// zlib's deflate through Debian's libz.so.1 with one long-lived stream per worker, reset per
/// page (deflateReset) instead of set up and torn down per page as compress2() does: the set-up
/// allocates and clears ~256 KiB of tables, which costs as much as compressing a 4 KiB page.
/// </summary>
internal sealed unsafe partial class NativeZlib : IDisposable
{
    private const string Lib = "libz.so.1";
    private const int Z_OK = 0, Z_STREAM_END = 1, Z_FINISH = 4, Z_DEFLATED = 8, Z_DEFAULT_STRATEGY = 0;

    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public byte* NextIn; public uint AvailIn; public nuint TotalIn;
        public byte* NextOut; public uint AvailOut; public nuint TotalOut;
        public sbyte* Msg; public void* State;
        public void* ZAlloc; public void* ZFree; public void* Opaque;
        public int DataType; public nuint Adler; public nuint Reserved;
    }

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int deflateInit2_(ZStream* strm, int level, int method, int windowBits, int memLevel, int strategy,
        string version, int streamSize);
    [LibraryImport(Lib)] private static partial int deflate(ZStream* strm, int flush);
    [LibraryImport(Lib)] private static partial int deflateReset(ZStream* strm);
    [LibraryImport(Lib)] private static partial int deflateEnd(ZStream* strm);
    [LibraryImport(Lib)] private static partial nint zlibVersion();

    private readonly ZStream* _strm;

    public NativeZlib(int level)
    {
        _strm = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        string version = Marshal.PtrToStringUTF8(zlibVersion()) ?? "1.2.13";
        // windowBits 15 and memLevel 8 are compress2()'s: the same bytes makedumpfile writes.
        int rc = deflateInit2_(_strm, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY, version, sizeof(ZStream));
        if (rc != Z_OK)
        {
            NativeMemory.Free(_strm);
            throw new InvalidOperationException($"deflateInit2 failed ({rc})");
        }
    }

    // A call, not a dlopen: a zlib linked into the NativeAOT binary counts too.
    private static readonly Lazy<bool> s_available = new(() => NativeProbe.Works(() => zlibVersion()));

    public static bool IsAvailable()
    {
        return s_available.Value;
    }

    /// <summary>Returns the compressed length, or 0 when it does not fit strictly below the page.</summary>
    public int Compress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int cap = Math.Min(dst.Length, src.Length - 1);
        fixed (byte* s = src) fixed (byte* d = dst)
        {
            deflateReset(_strm);
            _strm->NextIn = s; _strm->AvailIn = (uint)src.Length;
            _strm->NextOut = d; _strm->AvailOut = (uint)cap;
            int rc = deflate(_strm, Z_FINISH);
            if (rc != Z_STREAM_END) return 0;
            return (int)(cap - _strm->AvailOut);
        }
    }

    public void Dispose()
    {
        deflateEnd(_strm);
        NativeMemory.Free(_strm);
    }
}
