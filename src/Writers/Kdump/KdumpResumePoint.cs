using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;

namespace HvDumpKit.Writers.Kdump;

/// <summary>
/// Where a killed kdump-compressed write can go on (`hvdump save --resume`). The layout up to the
/// page data (header, notes, bitmaps, descriptor area) was fixed and synced before the first
/// release, and descriptors are written only after the data they point at, so the file's leading
/// run of valid descriptors names pages that are whole in it. Writing continues after the last of
/// them: pages already saved are never read from the vmcore again — their memory may have been
/// given back to the running system.
/// </summary>
public sealed record KdumpResumePoint(
    ulong MaxMapnr,
    /// <summary>Leading descriptors that are valid: the pages already saved.</summary>
    ulong PagesDone,
    /// <summary>The first PFN still to write (ulong.MaxValue when every page is saved).</summary>
    ulong ResumePfn,
    /// <summary>End of the page data the valid descriptors point at: writing resumes here.</summary>
    long DataEnd,
    /// <summary>The file's own disk_dump_header block, reused so nothing of the header is read from memory again.</summary>
    byte[] Header,
    int DumpLevel,
    PageCompression Compression)
{
    /// <param name="old">the file left behind, opened as a kdump-compressed dump</param>
    public static KdumpResumePoint Find(IDumpSource old)
    {
        var h = old.Facts.Kdump ?? throw new NotSupportedException($"{old.Path}: only a kdump-compressed file can be resumed");
        if (h.Split) throw new NotSupportedException($"{old.Path}: a --split file cannot be resumed");
        int bs = h.BlockSize;
        ulong total = old.Facts.PageDescriptors ?? 0;
        long descStart = h.DescriptorsOffset;
        long dataStart = descStart + (long)total * KdumpLayout.Desc.Length;
        using var handle = File.OpenHandle(old.Path, FileMode.Open, FileAccess.Read);
        long length = RandomAccess.GetLength(handle);
        var header = new byte[bs];
        if (RandomAccess.Read(handle, header, 0) != bs)
            throw new DumpFormatException(old.Path, 0, "disk_dump_header", null, "is truncated: the file cannot be resumed");
        // With the zero page shared (dump level bit 1) the first data block is that page.
        long dataEnd = (h.DumpLevel & 1) != 0 ? dataStart + bs : dataStart;
        ulong done = 0;
        var buf = new byte[KdumpLayout.Desc.Length * 4096];
        var o = h.ByteOrder;
        while (done < total)
        {
            int want = (int)Math.Min((ulong)(buf.Length / KdumpLayout.Desc.Length), total - done);
            int got = RandomAccess.Read(handle, buf.AsSpan(0, want * KdumpLayout.Desc.Length),
                descStart + (long)done * KdumpLayout.Desc.Length) / KdumpLayout.Desc.Length;
            int i = 0;
            for (; i < got; i++)
            {
                var d = buf.AsSpan(i * KdumpLayout.Desc.Length, KdumpLayout.Desc.Length);
                long offset = Endian.I64(d[KdumpLayout.Desc.Offset..], o);
                uint size = Endian.U32(d[KdumpLayout.Desc.Size..], o);
                // Never written (a hole reads as zero) or cut short: the saved run ends here.
                if (offset < dataStart || size == 0 || size > (uint)bs || offset + size > length) break;
                dataEnd = Math.Max(dataEnd, offset + size);
            }
            done += (ulong)i;
            if (i < want) break;
        }
        return new KdumpResumePoint(h.MaxMapnr, done, NthPresentPfn(old, done), dataEnd, header, h.DumpLevel, h.Compression);
    }

    /// <summary>The PFN of the n-th (0-based) present page, or ulong.MaxValue past the last.</summary>
    private static ulong NthPresentPfn(IDumpSource dump, ulong n)
    {
        foreach (var r in dump.PresentRanges())
        {
            if (n < r.Count) return r.Start + n;
            n -= r.Count;
        }
        return ulong.MaxValue;
    }
}
