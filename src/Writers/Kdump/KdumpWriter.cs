using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Pipeline;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Writers.Kdump;

/// <summary>
/// makedumpfile's kdump-compressed format, header_version 6 (kdump-compressed.md §12). Layout is
/// fixed before any page is written: header, sub-header with notes, both bitmaps, the descriptor
/// area sized from the present-page count, then page data. The header says INCOMPLETE until the
/// last byte is synced, so a file cut off mid-write opens as an incomplete dump.
/// </summary>
public sealed class KdumpWriter : IDumpWriter
{
    private const int HeaderVersion = 6;
    private const int DescBatch = 4096;
    // Page data leaves in 256 KiB writes: large enough for the disk, small enough that the buffer's
    // first-touch page faults stay few.
    private const int DataBuffer = 256 << 10;

    public WriteSummary Write(IDumpSource source, IOutputSink sink, WriterOptions options)
    {
        DumpLevel.Validate(options.DumpLevel);
        // countPassedPfns: at high dump levels most PFNs are excluded; their memory goes back without a write.
        var checkpoint = new Checkpointer(sink, options, countPassedPfns: true);
        if (!source.Header.Is64Bit)
            throw new NotSupportedException("kdump-compressed output for 32-bit targets is not supported");
        int bs = source.Header.PageSize;
        var order = source.Header.ByteOrder;
        // Like makedumpfile, stop at the last section with a mem_map (drops e.g. QEMU's BIOS ROM
        // PT_LOAD at 4 GiB); makedumpfile cannot re-filter a file whose bitmaps run past it.
        var resume = options.Resume;
        ulong maxMapnr = resume?.MaxMapnr ?? SplitPlan.MaxMapnr(source);
        IEnumerable<PfnRange> Ram() => PfnRanges.Within(source.RamRanges(), new PfnRange(0, maxMapnr));
        IEnumerable<PfnRange> Present() => PfnRanges.Within(source.PresentRanges(), new PfnRange(0, maxMapnr));
        byte[] notes = source.Notes.Blob;
        long offsetNote = bs + KdumpLayout.Sub.Size;
        int subHdrSize = (int)((KdumpLayout.Sub.Size + notes.Length + bs - 1) / bs);
        ulong m = ((maxMapnr + 7) / 8 + (ulong)bs - 1) / (ulong)bs;
        ulong bitmapBlocks = 2 * m;
        if (bitmapBlocks > uint.MaxValue) throw new
            NotSupportedException($"max_mapnr {maxMapnr} needs more bitmap blocks than the header can state");
        long bitmap1 = (1L + subHdrSize) * bs;
        long bitmap2 = bitmap1 + (long)m * bs;
        long descStart = (1L + subHdrSize + (long)bitmapBlocks) * bs;
        ulong numDumpable = DumpLevel.Count(Present());
        // A --split file writes only its own range's pages; its descriptors start at entry 0.
        var split = options.SplitRange;
        IEnumerable<PfnRange> ToWrite() => split is PfnRange sr ? PfnRanges.Within(Present(), sr)
            : resume is not null ? PfnRanges.Within(Present(), new PfnRange(Math.Min(resume.ResumePfn, maxMapnr), maxMapnr)) : Present();
        ulong numToWrite = split is null ? numDumpable : DumpLevel.Count(ToWrite());
        long dataStart = descStart + (long)numDumpable * KdumpLayout.Desc.Length;
        int level = options.DumpLevel | source.DumpLevel;

        if (resume is null)
        {
            var header = BuildHeader(source, order, bs, subHdrSize, (uint)bitmapBlocks, maxMapnr, options.Compression,
                incomplete: sink.CanRewrite);
            sink.WriteAt(0, header);
            sink.WriteAt(bs, BuildSubHeader(source, order, level, maxMapnr, offsetNote, notes.Length, split));
            if (notes.Length > 0) sink.WriteAt(offsetNote, notes);
            BitmapWriter.Write(sink, bitmap1, Ram(), maxMapnr, (long)m * bs);
            BitmapWriter.Write(sink, bitmap2, Present(), maxMapnr, (long)m * bs);
        }
        if (options.OnExcludedFinal is not null)
        {
            sink.Flush(durable: true);
            options.OnExcludedFinal(PfnRanges.Except(Ram(), Present()));
        }

        // Page data, in PFN order, behind the descriptor area.
        var descs = new byte[DescBatch * KdumpLayout.Desc.Length];
        int descCount = 0;
        long descFlushedIndex = 0;
        var data = new byte[DataBuffer];
        int dataLen = 0;
        long dataFileOffset = dataStart;
        long cursor = dataStart;
        long zeroPageOffset = 0;
        bool shareZero = DumpLevel.ExcludesZero(options.DumpLevel);
        if (shareZero)
        {
            zeroPageOffset = cursor;
            if (resume is null) sink.WriteAt(cursor, new byte[bs]);
            cursor += bs;
            dataFileOffset = cursor;
        }
        if (resume is not null)
        {
            // Pages already saved keep their descriptors and data; new ones follow them.
            descFlushedIndex = (long)resume.PagesDone;
            cursor = dataFileOffset = Math.Max(cursor, resume.DataEnd);
        }
        ulong written = 0, zero = 0, compressed = 0, raw = 0, lost = 0, done = 0;

        void FlushData()
        {
            if (dataLen == 0) return;
            sink.WriteAt(dataFileOffset, data.AsSpan(0, dataLen));
            dataFileOffset += dataLen;
            dataLen = 0;
        }
        void FlushDescs()
        {
            if (descCount == 0) return;
            // Descriptors go out only after the data they point at (makedumpfile's pairing rule).
            FlushData();
            sink.WriteAt(descStart + descFlushedIndex * KdumpLayout.Desc.Length, descs.AsSpan(0, descCount * KdumpLayout.Desc.Length));
            descFlushedIndex += descCount;
            descCount = 0;
        }
        void AddDesc(long offset, int size, uint flags)
        {
            var d = descs.AsSpan(descCount * KdumpLayout.Desc.Length, KdumpLayout.Desc.Length);
            d.Clear();
            Endian.W64(d[KdumpLayout.Desc.Offset..], (ulong)offset, order);
            Endian.W32(d[KdumpLayout.Desc.Size..], (uint)size, order);
            Endian.W32(d[KdumpLayout.Desc.Flags..], flags, order);
            if (++descCount == DescBatch) FlushDescs();
        }
        void Append(ReadOnlySpan<byte> bytes)
        {
            if (dataLen + bytes.Length > data.Length) FlushData();
            bytes.CopyTo(data.AsSpan(dataLen));
            dataLen += bytes.Length;
            cursor += bytes.Length;
        }

        new PagePipeline(source, options).Run(ToWrite(), (in PageItem p) =>
        {
            if (checkpoint.Due(p.Pfn))
            {
                // Everything before this page is decided: written pages get their descriptors
                // out and synced; excluded ones need nothing.
                FlushDescs();
                checkpoint.Reach(p.Pfn);
            }
            checkpoint.Count();
            done++;
            if (p.Status != PageStatus.Present)
            {
                AddDesc(0, 0, 0); // offset 0: the page is lost (kdump-compressed.md §8)
                lost++;
            }
            else if (p.IsZero && shareZero)
            {
                AddDesc(zeroPageOffset, bs, 0);
                zero++;
            }
            else if (!p.Compressed.IsEmpty)
            {
                AddDesc(cursor, p.Compressed.Length, (uint)options.Compression);
                Append(p.Compressed);
                compressed++;
            }
            else
            {
                AddDesc(cursor, bs, 0);
                Append(p.Raw);
                raw++;
            }
            if (p.IsZero && !shareZero) zero++;
            written++;
            if ((done & 0x3FFF) == 0) options.Progress?.Report(new WriteProgress(done, numToWrite, sink.BytesWritten));
        });
        FlushDescs();
        FlushData();
        sink.Flush(durable: options.Durable);
        if (sink.CanRewrite)
        {
            // Clear INCOMPLETE last, once every page and descriptor is on disk.
            var final = resume is null ? BuildHeader(source, order, bs, subHdrSize, (uint)bitmapBlocks, maxMapnr, options.Compression,
                incomplete: false)
                : Complete(resume.Header, order);
            sink.WriteAt(0, final.AsSpan(0, KdumpLayout.HeaderSize));
            sink.Flush(durable: options.Durable);
        }
        sink.Complete();
        options.OnDurable?.Invoke(ulong.MaxValue);
        options.Progress?.Report(new WriteProgress(done, numToWrite, sink.BytesWritten));
        return new WriteSummary
        {
            PagesRam = DumpLevel.Count(Ram()),
            PagesInSource = numToWrite,
            PagesWritten = written - lost,
            ZeroPages = zero,
            ZeroPagesExcluded = shareZero ? zero : 0,
            CompressedPages = compressed,
            RawPages = raw,
            LostPages = lost,
            BytesOut = cursor,
            MaxMapnr = maxMapnr,
        };
    }

    /// <summary>A resumed file's own header with INCOMPLETE cleared.</summary>
    private static byte[] Complete(byte[] header, ByteOrder o)
    {
        var h = (byte[])header.Clone();
        uint status = Endian.U32(h.AsSpan(KdumpLayout.Status), o) & ~KdumpLayout.DUMP_DH_COMPRESSED_INCOMPLETE;
        Endian.W32(h.AsSpan(KdumpLayout.Status), status, o);
        return h;
    }

    private static byte[] BuildHeader(IDumpSource source, ByteOrder o, int bs, int subHdrSize, uint bitmapBlocks, ulong maxMapnr,
        PageCompression comp, bool incomplete)
    {
        var h = new byte[bs];
        KdumpLayout.Signature.CopyTo(h);
        Endian.W32(h.AsSpan(KdumpLayout.HeaderVersion), HeaderVersion, o);
        var uts = Uts(source);
        for (int i = 0; i < 6; i++)
        {
            var bytes = Encoding.ASCII.GetBytes(uts[i]);
            bytes.AsSpan(0, Math.Min(bytes.Length,
                KdumpLayout.UtsFieldSize - 1)).CopyTo(h.AsSpan(KdumpLayout.UtsName + i * KdumpLayout.UtsFieldSize));
        }
        long crashTime = source.VmcoreInfo?.CrashTime ?? source.Facts.CrashTime ?? 0;
        Endian.W64(h.AsSpan(KdumpLayout.TimestampSec), (ulong)crashTime, o);
        uint status = (uint)comp | (incomplete ? KdumpLayout.DUMP_DH_COMPRESSED_INCOMPLETE : 0);
        Endian.W32(h.AsSpan(KdumpLayout.Status), status, o);
        Endian.W32(h.AsSpan(KdumpLayout.BlockSize), (uint)bs, o);
        Endian.W32(h.AsSpan(KdumpLayout.SubHdrSize), (uint)subHdrSize, o);
        Endian.W32(h.AsSpan(KdumpLayout.BitmapBlocks), bitmapBlocks, o);
        Endian.W32(h.AsSpan(KdumpLayout.MaxMapnr), (uint)Math.Min(maxMapnr, uint.MaxValue), o);
        int cpus = source.Notes.PrStatus.Count();
        Endian.W32(h.AsSpan(KdumpLayout.NrCpus), (uint)Math.Max(1, cpus), o);
        return h;
    }

    /// <summary>utsname from init_uts_ns in memory (QEMU leaves all but machine empty), else what the source says.</summary>
    internal static string[] Uts(IDumpSource source)
    {
        var u = UtsName.TryRead(source);
        if (u is not null) return [u.Sysname, u.Nodename, u.Release, u.Version, u.Machine, u.Domainname];
        if (source.Facts.UtsName is { Count: 6 } own && !string.IsNullOrEmpty(source.Facts.KernelRelease)) return [.. own];
        return ["Linux", "", source.VmcoreInfo?.OsRelease ?? "", "", MachineNames.UtsMachine(source.Header.Machine,
            source.Header.ByteOrder), ""];
    }

    private static byte[] BuildSubHeader(IDumpSource source, ByteOrder o, int level, ulong maxMapnr, long offsetNote, int noteLength,
        PfnRange? split)
    {
        var s = new byte[KdumpLayout.Sub.Size];
        if (split is PfnRange r)
        {
            Endian.W32(s.AsSpan(KdumpLayout.Sub.Split), 1, o);
            Endian.W64(s.AsSpan(KdumpLayout.Sub.StartPfn), Math.Min(r.Start, uint.MaxValue), o);
            Endian.W64(s.AsSpan(KdumpLayout.Sub.EndPfn), Math.Min(r.End, uint.MaxValue), o);
            Endian.W64(s.AsSpan(KdumpLayout.Sub.StartPfn64), r.Start, o);
            Endian.W64(s.AsSpan(KdumpLayout.Sub.EndPfn64), r.End, o);
        }
        ulong physBase = source.VmcoreInfo?.PhysBase ?? source.Facts.PhysBase ?? 0;
        Endian.W64(s.AsSpan(KdumpLayout.Sub.PhysBase), physBase, o);
        Endian.W32(s.AsSpan(KdumpLayout.Sub.DumpLevel), (uint)level, o);
        var vmci = source.Notes.VmcoreInfoNote;
        if (vmci is not null)
        {
            Endian.W64(s.AsSpan(KdumpLayout.Sub.OffsetVmcoreinfo), (ulong)(offsetNote + vmci.DescOffset), o);
            Endian.W64(s.AsSpan(KdumpLayout.Sub.SizeVmcoreinfo), (ulong)vmci.DescSize, o);
        }
        if (noteLength > 0)
        {
            Endian.W64(s.AsSpan(KdumpLayout.Sub.OffsetNote), (ulong)offsetNote, o);
            Endian.W64(s.AsSpan(KdumpLayout.Sub.SizeNote), (ulong)noteLength, o);
        }
        Endian.W64(s.AsSpan(KdumpLayout.Sub.MaxMapnr64), maxMapnr, o);
        return s;
    }
}
