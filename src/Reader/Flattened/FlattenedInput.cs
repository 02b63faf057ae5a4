using System.Buffers.Binary;
using HvDumpKit.Reader.IO;

namespace HvDumpKit.Reader.Flattened;

/// <summary>
/// A flattened stream read in place as the file it describes (libkdumpfile's flatmap): record
/// headers are scanned once into a sorted map of (target offset → payload offset); gaps read as
/// zero; where records overlap the later one wins, as makedumpfile -R replays them. The map holds
/// one entry per record, and makedumpfile and QEMU write records per buffer flush, not per page.
/// </summary>
public sealed class FlattenedInput : IRandomAccessInput
{
    private readonly IRandomAccessInput _stream;
    private readonly Record[] _records; // sorted by Target, non-overlapping

    private readonly record struct Record(long Target, long Size, long Payload, int Index)
    {
        public long End => Target + Size;
    }

    private FlattenedInput(IRandomAccessInput stream, Record[] records, long length, bool complete)
    {
        _stream = stream;
        _records = records;
        Length = length;
        Complete = complete;
    }

    public static FlattenedInput Open(IRandomAccessInput stream, DumpLimits? limits = null)
    {
        limits ??= DumpLimits.Default;
        try { return Scan(stream, limits); }
        catch (DumpFormatException ex) { throw ex.WithFile(stream.Path); }
    }

    private static FlattenedInput Scan(IRandomAccessInput stream, DumpLimits limits)
    {
        Span<byte> hdr = stackalloc byte[32];
        stream.ReadExactly(0, hdr, "makedumpfile_header");
        if (!FlattenedLayout.HasSignature(hdr))
            throw DumpFormatException.Field(0, "makedumpfile_header.signature", "is not \"makedumpfile\"");
        long type = BinaryPrimitives.ReadInt64BigEndian(hdr[FlattenedLayout.Type..]);
        if (type != FlattenedLayout.TypeFlatHeader)
            throw DumpFormatException.Field(FlattenedLayout.Type, "makedumpfile_header.type", (ulong)type, "is not TYPE_FLAT_HEADER (1)");
        long version = BinaryPrimitives.ReadInt64BigEndian(hdr[FlattenedLayout.Version..]);
        if (version != FlattenedLayout.VersionFlatHeader)
            throw DumpFormatException.Field(FlattenedLayout.Version, "makedumpfile_header.version", (ulong)version,
                "is not VERSION_FLAT_HEADER (1)");

        var list = new List<Record>();
        long at = FlattenedLayout.HeaderSize;
        Span<byte> rec = stackalloc byte[FlattenedLayout.RecordHeaderSize];
        bool complete = false;
        long streamLength = stream.Length;
        while (true)
        {
            int n = stream.ReadAt(at, rec);
            if (n < rec.Length) break; // no end marker: truncated stream
            long offset = BinaryPrimitives.ReadInt64BigEndian(rec);
            long size = BinaryPrimitives.ReadInt64BigEndian(rec[8..]);
            if (offset == FlattenedLayout.EndFlag && size == FlattenedLayout.EndFlag) { complete = true; break; }
            if (offset < 0)
                throw DumpFormatException.Field(at, "makedumpfile_data_header.offset", (ulong)offset, "is negative");
            if (size <= 0)
                throw DumpFormatException.Field(at + 8, "makedumpfile_data_header.buf_size", (ulong)size, "is not positive");
            if (offset > long.MaxValue - size)
                throw DumpFormatException.Field(at, "makedumpfile_data_header.offset", (ulong)offset, "plus buf_size overflows");
            if (list.Count >= limits.MaxFlattenedRecords)
                throw DumpFormatException.Field(at, "makedumpfile_data_header", (ulong)list.Count, "exceeds the record limit");
            long payload = at + FlattenedLayout.RecordHeaderSize;
            if (payload > streamLength - size)
            {
                // The last record was cut off: keep what arrived.
                long have = Math.Max(0, streamLength - payload);
                if (have > 0) list.Add(new Record(offset, have, payload, list.Count));
                break;
            }
            list.Add(new Record(offset, size, payload, list.Count));
            at = payload + size;
        }
        var records = Resolve(list);
        long length = records.Length == 0 ? 0 : records.Max(r => r.End);
        return new FlattenedInput(stream, records, length, complete);
    }

    /// <summary>
    /// Sort by target; where records overlap, the one later in the stream wins. Overlaps are rare
    /// (a rewritten sub-header), so each cluster of overlapping records is cut into elementary
    /// intervals and each interval takes the newest record covering it.
    /// </summary>
    private static Record[] Resolve(List<Record> list)
    {
        list.Sort((a, b) => a.Target != b.Target ? a.Target.CompareTo(b.Target) : a.Index.CompareTo(b.Index));
        var result = new List<Record>(list.Count);
        int i = 0;
        while (i < list.Count)
        {
            int j = i + 1;
            long clusterEnd = list[i].End;
            while (j < list.Count && list[j].Target < clusterEnd) { clusterEnd = Math.Max(clusterEnd, list[j].End); j++; }
            if (j == i + 1) { result.Add(list[i]); i = j; continue; }
            var cluster = list.GetRange(i, j - i);
            var bounds = cluster.SelectMany(r => new[] { r.Target, r.End }).Distinct().Order().ToList();
            for (int b = 0; b + 1 < bounds.Count; b++)
            {
                long from = bounds[b], to = bounds[b + 1];
                Record? best = null;
                foreach (var r in cluster)
                    if (r.Target <= from && r.End >= to && (best is null || r.Index > best.Value.Index)) best = r;
                if (best is { } w)
                    result.Add(new Record(from, to - from, w.Payload + (from - w.Target), w.Index));
            }
            i = j;
        }
        return result.ToArray();
    }

    public string Path => _stream.Path;
    public long Length { get; }
    /// <summary>False when the stream ended without the end marker.</summary>
    public bool Complete { get; }
    public int RecordCount => _records.Length;

    public int ReadAt(long offset, Span<byte> buffer)
    {
        if (offset >= Length) return 0;
        int want = (int)Math.Min(buffer.Length, Length - offset);
        buffer = buffer[..want];
        buffer.Clear();
        int lo = 0, hi = _records.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_records[mid].End <= offset) lo = mid + 1; else hi = mid;
        }
        long end = offset + want;
        for (int i = lo; i < _records.Length && _records[i].Target < end; i++)
        {
            var r = _records[i];
            long from = Math.Max(offset, r.Target), to = Math.Min(end, r.End);
            if (to <= from) continue;
            var dst = buffer.Slice((int)(from - offset), (int)(to - from));
            int n = _stream.ReadAt(r.Payload + (from - r.Target), dst);
            if (n != dst.Length)
                throw new DumpFormatException(Path, r.Payload, "flattened record payload", null, "is truncated");
        }
        return want;
    }

    public void Dispose() => _stream.Dispose();
}
