using System.Buffers.Binary;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Flattened;

namespace HvDumpKit.Writers.Flattened;

/// <summary>makedumpfile -R: replays a flattened stream from a pipe into a seekable file (flattened.md §4).</summary>
public static class Rearranger
{
    public static long Run(Stream input, Stream output)
    {
        var header = new byte[FlattenedLayout.HeaderSize];
        input.ReadExactly(header);
        if (!FlattenedLayout.HasSignature(header)
            || BinaryPrimitives.ReadInt64BigEndian(header.AsSpan(FlattenedLayout.Type)) != FlattenedLayout.TypeFlatHeader)
            throw DumpFormatException.Field(0, "makedumpfile_header.signature", "is not a flattened makedumpfile stream");
        var rec = new byte[FlattenedLayout.RecordHeaderSize];
        var buf = new byte[1 << 20];
        long at = FlattenedLayout.HeaderSize, written = 0;
        while (true)
        {
            if (input.ReadAtLeast(rec, rec.Length, throwOnEndOfStream: false) != rec.Length)
                throw DumpFormatException.Field(at, "makedumpfile_data_header", "is missing: the stream ended without its end marker");
            long offset = BinaryPrimitives.ReadInt64BigEndian(rec), size = BinaryPrimitives.ReadInt64BigEndian(rec.AsSpan(8));
            if (offset == FlattenedLayout.EndFlag && size == FlattenedLayout.EndFlag) break;
            if (offset < 0 || size <= 0)
                throw DumpFormatException.Field(at, "makedumpfile_data_header", (ulong)offset, $"is not a valid record (buf_size {size})");
            at += rec.Length;
            output.Position = offset;
            while (size > 0)
            {
                int n = (int)Math.Min(buf.Length, size);
                input.ReadExactly(buf.AsSpan(0, n));
                output.Write(buf, 0, n);
                size -= n; at += n; written += n;
            }
        }
        output.Flush();
        return written;
    }
}
