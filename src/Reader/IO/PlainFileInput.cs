using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Reader.IO;

/// <summary>
/// A regular file read with RandomAccess (pread), never through a Stream position; /proc/vmcore
/// through mmap'ed windows (<see cref="MappedWindows"/>), which the kernel serves far faster than
/// read(), with pread as the fallback.
/// </summary>
public sealed class PlainFileInput : IRandomAccessInput
{
    private readonly SafeFileHandle _handle;
    private readonly bool _lengthKnown;
    private readonly MappedWindows? _mapped;
    private long _length;

    /// <summary>
    /// Set to false (makedumpfile's --non-mmap, or HVDUMP_NO_MMAP=1) to read /proc/vmcore with read()
    /// only. Regular files are always read with pread: for them the page cache is as fast, and a
    /// mapping only adds page faults.
    /// </summary>
    public static bool MmapVmcore { get; set; } = Environment.GetEnvironmentVariable("HVDUMP_NO_MMAP") != "1";

    /// <summary>True when reads go through mmap'ed windows (until the kernel refuses them).</summary>
    public bool Mapped => _mapped is { Usable: true };

    public PlainFileInput(string path) : this(path, MmapVmcore && IsProcVmcore(path)) { }

    public PlainFileInput(string path, bool mmap)
    {
        Path = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        try { _length = RandomAccess.GetLength(_handle); _lengthKnown = _length > 0; }
        catch (IOException) { _length = 0; }
        // /proc/vmcore reports its real size; character devices and pipes report 0.
        if (!_lengthKnown) _length = long.MaxValue;
        if (mmap && _lengthKnown) _mapped = new MappedWindows(_handle, _length);
    }

    private static bool IsProcVmcore(string path)
    {
        try { return System.IO.Path.GetFullPath(path) == "/proc/vmcore"; }
        catch (ArgumentException) { return false; }
    }

    public string Path { get; }
    public long Length => _length;
    public SafeFileHandle Handle => _handle;

    public int ReadAt(long offset, Span<byte> buffer)
    {
        // What the mapping could not give (a window the kernel refused to map) is read with pread.
        int total = _mapped is { Usable: true } m ? m.ReadAt(offset, buffer) : 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(_handle, buffer[total..], offset + total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    public void Dispose()
    {
        _mapped?.Dispose();
        _handle.Dispose();
    }
}
