using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Reader.IO;

/// <summary>
/// Reads a file through mmap'ed windows of 4 MiB, one per reading thread, as makedumpfile reads
/// /proc/vmcore: the kernel serves read() on /proc/vmcore by mapping the old memory page by page
/// for every call, while mmap remaps it with page tables once per window (vmcore.c mmap_vmcore).
/// The mappings are of the file, never anonymous memory, and at most one window per thread is
/// mapped at a time, so they do not grow with the dump. A window that cannot be mapped (mmap
/// refused, an unaligned segment edge the kernel will not map) falls back to pread for that read;
/// after repeated refusals mapping is given up for the whole file.
/// </summary>
internal sealed unsafe partial class MappedWindows : IDisposable
{
    public const long WindowBytes = 4L << 20;
    private const int ProtRead = 1, MapPrivate = 2;
    private static readonly nint MapFailed = -1;

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(nint addr, nuint length);

    private sealed class Window
    {
        public long Start = -1;
        public long Length;
        public nint Address;
    }

    private readonly SafeFileHandle _handle;
    private readonly long _length;
    private readonly ThreadLocal<Window> _windows = new(() => new Window(), trackAllValues: true);
    private int _failures;
    private bool _disposed;

    public MappedWindows(SafeFileHandle handle, long length)
    {
        _handle = handle;
        _length = length;
    }

    /// <summary>False once mmap was refused often enough that pread is all there is.</summary>
    public bool Usable => Volatile.Read(ref _failures) < 8;

    /// <summary>Copies bytes from offset until the buffer is full, the file ends or a window cannot be mapped; returns how many.</summary>
    public int ReadAt(long offset, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length && offset + total < _length)
        {
            long at = offset + total;
            var w = _windows.Value!;
            if (at < w.Start || at >= w.Start + w.Length)
            {
                if (!Map(w, at)) return total;
            }
            int n = (int)Math.Min(buffer.Length - total, w.Start + w.Length - at);
            new ReadOnlySpan<byte>((byte*)w.Address + (at - w.Start), n).CopyTo(buffer[total..]);
            total += n;
        }
        return total;
    }

    private bool Map(Window w, long at)
    {
        Unmap(w);
        long start = at / WindowBytes * WindowBytes;
        long len = Math.Min(WindowBytes, _length - start);
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            nint p = mmap(0, (nuint)len, ProtRead, MapPrivate, (int)_handle.DangerousGetHandle(), start);
            if (p == MapFailed)
            {
                Interlocked.Increment(ref _failures);
                return false;
            }
            (w.Start, w.Length, w.Address) = (start, len, p);
            return true;
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    private static void Unmap(Window w)
    {
        if (w.Start < 0) return;
        munmap(w.Address, (nuint)w.Length);
        w.Start = -1;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var w in _windows.Values) Unmap(w);
        _windows.Dispose();
    }
}
