using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Writers.Output.Sinks;

/// <summary>A seekable output file written with pwrite; unwritten ranges stay holes.</summary>
public sealed class FileSink(SafeFileHandle handle, bool ownsHandle = true) : IOutputSink
{
    private long _written;

    public bool CanRewrite => true;
    public bool IsDurable => true;
    public long BytesWritten => Interlocked.Read(ref _written);

    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        RandomAccess.Write(handle, data, offset);
        Interlocked.Add(ref _written, data.Length);
    }

    public void Flush(bool durable)
    {
        if (durable) RandomAccess.FlushToDisk(handle);
    }

    public void SetLength(long length)
    {
        if (RandomAccess.GetLength(handle) < length) RandomAccess.SetLength(handle, length);
    }

    public void Complete() { }

    public void Dispose() { if (ownsHandle) handle.Dispose(); }
}
