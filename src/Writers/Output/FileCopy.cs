using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Writers.Output;

/// <summary>
/// File bytes into an output, read and write overlapped on two threads through two reused
/// buffers: while one chunk is written the next is read, so on two cores the copy costs about
/// one pass instead of dd's read-then-write. (copy_file_range and mmap were measured slower here:
/// ext4 has no in-kernel copy, and page faults are dear under a hypervisor.)
/// </summary>
public sealed class FileCopy(int chunkBytes = 1 << 20)
{
    private readonly byte[][] _buffers = [GC.AllocateUninitializedArray<byte>(chunkBytes), GC.AllocateUninitializedArray<byte>(chunkBytes)];

    /// <summary>Copies length bytes from source at sourceOffset to the sink at offset.</summary>
    public void Copy(SafeFileHandle source, long sourceOffset, IOutputSink sink, long offset, long length,
        CancellationToken cancel = default)
    {
        if (length <= 0) return;
        int cur = 0;
        long done = 0;
        int n = Read(source, sourceOffset, _buffers[0], length);
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            long next = done + n;
            var buf = _buffers[cur];
            int len = n;
            // Read the next chunk on another thread while this one is written.
            Task<int>? reading = next < length ? Task.Run(() => Read(source, sourceOffset + next, _buffers[cur ^ 1], length - next)) : null;
            try { sink.WriteAt(offset + done, buf.AsSpan(0, len)); }
            finally { if (reading is not null) n = reading.GetAwaiter().GetResult(); }
            done = next;
            if (reading is null) return;
            cur ^= 1;
        }
    }

    private static int Read(SafeFileHandle source, long at, byte[] buffer, long left)
    {
        int want = (int)Math.Min(buffer.Length, left), got = 0;
        while (got < want)
        {
            int r = RandomAccess.Read(source, buffer.AsSpan(got, want - got), at + got);
            if (r <= 0) throw new IOException($"the input ended at offset 0x{at + got:x}, 0x{want - got:x} bytes short");
            got += r;
        }
        return got;
    }
}
