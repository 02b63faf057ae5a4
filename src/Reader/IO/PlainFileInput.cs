using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Reader.IO;

/// <summary>A regular file read with RandomAccess (pread), never through a Stream position.</summary>
public sealed class PlainFileInput : IRandomAccessInput
{
    private readonly SafeFileHandle _handle;
    private readonly bool _lengthKnown;
    private long _length;

    public PlainFileInput(string path)
    {
        Path = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        try { _length = RandomAccess.GetLength(_handle); _lengthKnown = _length > 0; }
        catch (IOException) { _length = 0; }
        // /proc/vmcore reports its real size; character devices and pipes report 0.
        if (!_lengthKnown) _length = long.MaxValue;
    }

    public string Path { get; }
    public long Length => _length;
    public SafeFileHandle Handle => _handle;

    public int ReadAt(long offset, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(_handle, buffer[total..], offset + total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    public void Dispose() => _handle.Dispose();
}
