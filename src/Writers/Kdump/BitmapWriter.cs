using HvDumpKit.Reader;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Writers.Kdump;

/// <summary>Writes a PFN bitmap (bit p&amp;7 of byte p&gt;&gt;3, LSB first) from ranges, 1 MiB at a time.</summary>
public static class BitmapWriter
{
    private const int Chunk = 1 << 20;

    public static void Write(IOutputSink sink, long offset, IEnumerable<PfnRange> ranges, ulong maxPfn, long length)
    {
        // No bigger than the bitmap (16 KiB for 512 MiB of 4 KiB pages): every fresh page of
        // memory costs a fault, which is dear in a small capture kernel under a hypervisor.
        int size = (int)Math.Clamp(length, 1, Chunk);
        var buf = new byte[size];
        ulong chunkBits = (ulong)size * 8;
        ulong chunkStart = 0;
        void Flush()
        {
            long at = (long)(chunkStart / 8);
            int n = (int)Math.Min(size, length - at);
            if (n > 0) sink.WriteAt(offset + at, buf.AsSpan(0, n));
            Array.Clear(buf, 0, Math.Max(0, n));
        }
        foreach (var r0 in ranges)
        {
            ulong start = r0.Start, end = Math.Min(r0.End, maxPfn);
            while (start < end)
            {
                while (start >= chunkStart + chunkBits) { Flush(); chunkStart += chunkBits; }
                ulong stop = Math.Min(end, chunkStart + chunkBits);
                SetBits(buf, start - chunkStart, stop - chunkStart);
                start = stop;
            }
        }
        // Write every chunk up to the bitmap's length so a stream carries explicit zeros too.
        while ((long)(chunkStart / 8) < length)
        {
            Flush();
            chunkStart += chunkBits;
        }
    }

    private static void SetBits(byte[] buf, ulong from, ulong to)
    {
        while (from < to && (from & 7) != 0) { buf[from >> 3] |= (byte)(1 << (int)(from & 7)); from++; }
        if (to - from >= 8)
        {
            ulong bytes = (to - from) / 8;
            buf.AsSpan((int)(from >> 3), (int)bytes).Fill(0xFF);
            from += bytes * 8;
        }
        while (from < to) { buf[from >> 3] |= (byte)(1 << (int)(from & 7)); from++; }
    }
}
