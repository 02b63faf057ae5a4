using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch;
using HvDumpKit.Reader.Elf;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Pipeline;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Writers.Elf;

/// <summary>
/// ELF64 vmcore in the dumped kernel's byte order, /proc/vmcore style (elf-vmcore.md §8):
/// program headers at 64, no sections (PN_XNUM's section 0 only when needed), PT_NOTE first
/// with every source note, then PT_LOADs with p_align 0 (crash's "kdump ELF" test). Excluded
/// runs of 256 pages or more become holes (p_filesz &lt; p_memsz) as makedumpfile -E does;
/// shorter runs of zero pages are written, and pages the source lacks always end a segment.
/// </summary>
public sealed class ElfWriter : IDumpWriter
{
    private const int HoleThreshold = 256;

    /// <summary>A PT_LOAD to write: file data covers [Start, FileEnd), memory [Start, MemEnd) in PFNs.</summary>
    public readonly record struct Segment(ulong Start, ulong FileEnd, ulong MemEnd);

    public WriteSummary Write(IDumpSource source, IOutputSink sink, WriterOptions options)
    {
        DumpLevel.Validate(options.DumpLevel);
        var checkpoint = new Checkpointer(sink, options);
        int ps = source.Header.PageSize;
        var o = source.Header.ByteOrder;
        bool excludeZero = DumpLevel.ExcludesZero(options.DumpLevel);
        var segments = Plan(source, options, excludeZero);
        ulong vaddrBase = DirectMapBase(source);
        var kept = new SourceSegments(source);
        var kernelPieces = kept.Pieces(segments, ps);

        ulong phnum = 1 + (ulong)kernelPieces.Count + (ulong)segments.Count;
        bool xnum = phnum >= ElfLayout.PN_XNUM;
        long phoff = ElfLayout.Elf64.EhdrSize;
        long shoff = xnum ? phoff + (long)phnum * ElfLayout.Elf64.PhdrSize : 0;
        long noteOff = phoff + (long)phnum * ElfLayout.Elf64.PhdrSize + (xnum ? ElfLayout.Elf64.ShdrSize : 0);
        byte[] notes = source.Notes.Blob;
        long dataOff = Align(noteOff + notes.Length, ps);

        // ELF header
        var eh = new byte[ElfLayout.Elf64.EhdrSize];
        eh[0] = 0x7F; eh[1] = (byte)'E'; eh[2] = (byte)'L'; eh[3] = (byte)'F';
        eh[ElfLayout.EI_CLASS] = ElfLayout.ELFCLASS64;
        eh[ElfLayout.EI_DATA] = o == ByteOrder.Big ? ElfLayout.ELFDATA2MSB : ElfLayout.ELFDATA2LSB;
        eh[ElfLayout.EI_VERSION] = 1;
        Endian.W16(eh.AsSpan(ElfLayout.E_TYPE), ElfLayout.ET_CORE, o);
        Endian.W16(eh.AsSpan(ElfLayout.E_MACHINE), (ushort)source.Header.Machine, o);
        Endian.W32(eh.AsSpan(ElfLayout.E_VERSION), 1, o);
        Endian.W64(eh.AsSpan(ElfLayout.Elf64.E_PHOFF), (ulong)phoff, o);
        Endian.W64(eh.AsSpan(ElfLayout.Elf64.E_SHOFF), (ulong)shoff, o);
        Endian.W32(eh.AsSpan(ElfLayout.Elf64.E_FLAGS), source.Header.ElfFlags, o);
        Endian.W16(eh.AsSpan(ElfLayout.Elf64.E_EHSIZE), ElfLayout.Elf64.EhdrSize, o);
        Endian.W16(eh.AsSpan(ElfLayout.Elf64.E_PHENTSIZE), ElfLayout.Elf64.PhdrSize, o);
        Endian.W16(eh.AsSpan(ElfLayout.Elf64.E_PHNUM), xnum ? ElfLayout.PN_XNUM : (ushort)phnum, o);
        Endian.W16(eh.AsSpan(ElfLayout.Elf64.E_SHENTSIZE), xnum ? (ushort)ElfLayout.Elf64.ShdrSize : (ushort)0, o);
        Endian.W16(eh.AsSpan(ElfLayout.Elf64.E_SHNUM), xnum ? (ushort)1 : (ushort)0, o);
        sink.WriteAt(0, eh);

        // Program headers, written in 1024-entry pieces.
        var ph = new byte[ElfLayout.Elf64.PhdrSize * 1024];
        int inBuf = 0;
        long phAt = phoff;
        void Put(uint type, ulong offset, ulong vaddr, ulong paddr, ulong filesz, ulong memsz)
        {
            var p = ph.AsSpan(inBuf * ElfLayout.Elf64.PhdrSize, ElfLayout.Elf64.PhdrSize);
            p.Clear();
            Endian.W32(p[ElfLayout.Elf64.P_TYPE..], type, o);
            Endian.W32(p[ElfLayout.Elf64.P_FLAGS..], type == ElfLayout.PT_LOAD ? 7u : 0u, o);
            Endian.W64(p[ElfLayout.Elf64.P_OFFSET..], offset, o);
            Endian.W64(p[ElfLayout.Elf64.P_VADDR..], vaddr, o);
            Endian.W64(p[ElfLayout.Elf64.P_PADDR..], paddr, o);
            Endian.W64(p[ElfLayout.Elf64.P_FILESZ..], filesz, o);
            Endian.W64(p[ElfLayout.Elf64.P_MEMSZ..], memsz, o);
            if (++inBuf == 1024) { sink.WriteAt(phAt, ph); phAt += ph.Length; inBuf = 0; }
        }
        Put(ElfLayout.PT_NOTE, (ulong)noteOff, 0, 0, (ulong)notes.Length, (ulong)notes.Length);
        long fileAt = dataOff;
        var fileOffsets = new long[segments.Count];
        for (int i = 0; i < segments.Count; i++)
        {
            ulong filesz = (segments[i].FileEnd - segments[i].Start) * (ulong)ps;
            fileOffsets[i] = filesz == 0 ? 0 : fileAt;
            fileAt += (long)filesz;
        }
        // The kernel image first, as /proc/vmcore has it: its bytes are the direct map's, so each
        // piece points into the file data of the segment that holds them, written once.
        foreach (var k in kernelPieces)
            Put(ElfLayout.PT_LOAD, (ulong)fileOffsets[k.Segment] + k.OffsetInSegment, k.VirtualAddress, k.PhysicalAddress, k.Size, k.Size);
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            // Exact source bounds: a head the source lacks is skipped (its bytes stay in the file, unclaimed), a tail it has is claimed.
            ulong head = kept.HeadIn(s.Start), paddr = s.Start * (ulong)ps + head;
            ulong filesz = (s.FileEnd - s.Start) * (ulong)ps, memsz = (s.MemEnd - s.Start) * (ulong)ps + kept.TailAfter(s.MemEnd);
            Put(ElfLayout.PT_LOAD, (ulong)fileOffsets[i] + (filesz > 0 ? head : 0), VirtualAddress(source, paddr, vaddrBase), paddr,
                filesz - Math.Min(filesz, head), memsz - head);
        }
        if (inBuf > 0) sink.WriteAt(phAt, ph.AsSpan(0, inBuf * ElfLayout.Elf64.PhdrSize));
        if (xnum)
        {
            // PN_XNUM: the real e_phnum lives in sh_info of section header 0.
            var sh = new byte[ElfLayout.Elf64.ShdrSize];
            Endian.W32(sh.AsSpan(ElfLayout.Elf64.SH_INFO), (uint)phnum, o);
            sink.WriteAt(shoff, sh);
        }
        if (notes.Length > 0) sink.WriteAt(noteOff, notes);
        var fileRanges = segments.Where(s => s.FileEnd > s.Start).Select(s => new PfnRange(s.Start, s.FileEnd)).ToList();
        if (options.OnExcludedFinal is not null)
        {
            // The program headers now say which PFNs the file will never hold: that is final.
            sink.Flush(durable: true);
            options.OnExcludedFinal(PfnRanges.Except(source.RamRanges(), fileRanges));
        }

        // Page data: each segment's file part, in order.
        ulong written = 0, zero = 0, lost = 0, done = 0, total = 0;
        foreach (var s in segments) total += s.FileEnd - s.Start;
        int seg = 0;
        while (seg < segments.Count && segments[seg].FileEnd == segments[seg].Start) seg++;
        // Pages stored as they are, wholly in a plain file: copied file to file, not page by page.
        bool fromFile = source is IFileRunSource runs && CopyFileRuns(runs, sink, checkpoint, segments, fileOffsets, options, ps, total,
            out written);
        var buffer = new byte[fromFile ? 0 : 1 << 20];
        int bufLen = 0;
        long bufAt = seg < segments.Count ? fileOffsets[seg] : dataOff;
        var copyOptions = options with { Compression = Reader.Codecs.PageCompression.None };
        if (!fromFile) new PagePipeline(source, copyOptions).Run(fileRanges, (in PageItem p) =>
        {
            if (checkpoint.Due(p.Pfn))
            {
                // Every PFN below this page is in the file (or a hole the headers declare): sync, report.
                if (bufLen > 0) { sink.WriteAt(bufAt, buffer.AsSpan(0, bufLen)); bufAt += bufLen; bufLen = 0; }
                checkpoint.Reach(p.Pfn);
            }
            checkpoint.Count();
            while (p.Pfn >= segments[seg].FileEnd || p.Pfn < segments[seg].Start)
            {
                seg++;
                if (bufLen > 0) { sink.WriteAt(bufAt, buffer.AsSpan(0, bufLen)); bufLen = 0; }
                bufAt = fileOffsets[seg];
            }
            if (p.Status != PageStatus.Present) lost++;
            if (p.IsZero) zero++;
            if (bufLen + ps > buffer.Length) { sink.WriteAt(bufAt, buffer.AsSpan(0, bufLen)); bufAt += bufLen; bufLen = 0; }
            p.Raw.CopyTo(buffer.AsSpan(bufLen));
            bufLen += ps;
            written++;
            if ((++done & 0x3FFF) == 0) options.Progress?.Report(new WriteProgress(done, total, sink.BytesWritten));
        });
        if (bufLen > 0) sink.WriteAt(bufAt, buffer.AsSpan(0, bufLen));
        sink.SetLength(fileAt);
        sink.Flush(durable: options.Durable);
        sink.Complete();
        options.OnDurable?.Invoke(ulong.MaxValue);
        ulong present = DumpLevel.Count(source.PresentRanges());
        return new WriteSummary
        {
            PagesRam = DumpLevel.Count(source.RamRanges()),
            MaxMapnr = source.MaxPfn,
            PagesInSource = present,
            PagesWritten = written - lost,
            ZeroPages = zero,
            ZeroPagesExcluded = excludeZero ? present - written : 0,
            RawPages = written,
            LostPages = lost,
            CopiedFromFile = fromFile,
            BytesOut = fileAt,
            Segments = segments.Count + kernelPieces.Count,
        };
    }

    /// <summary>
    /// Copies every segment's file part straight from the input file (FileCopy: read and write
    /// overlapped) when all of it lies wholly in a plain file; false (nothing written) when some
    /// page does not. Durability checkpoints and progress as the page pipeline's.
    /// </summary>
    private static bool CopyFileRuns(IFileRunSource runs, IOutputSink sink, Checkpointer checkpoint, List<Segment> segments,
        long[] fileOffsets, WriterOptions options, int ps, ulong total, out ulong copied)
    {
        copied = 0;
        foreach (var s in segments)
            for (ulong pfn = s.Start; pfn < s.FileEnd;)
            {
                if (runs.FileRun(pfn, s.FileEnd - pfn) is not { } r || r.Pages == 0) return false;
                pfn += r.Pages;
            }
        ulong step = options.OnDurable is not null ? (ulong)Math.Max(16, options.CheckpointPages) : Math.Max(1, (64UL << 20) / (ulong)ps);
        var copier = new FileCopy();
        for (int i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            ulong pfn = s.Start;
            long at = fileOffsets[i];
            while (pfn < s.FileEnd)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                var r = runs.FileRun(pfn, Math.Min(s.FileEnd - pfn, step))!.Value;
                long bytes = (long)r.Pages * ps;
                copier.Copy(r.File, r.Offset, sink, at, bytes, options.Cancellation);
                pfn += r.Pages;
                at += bytes;
                copied += r.Pages;
                checkpoint.Count(r.Pages);
                if (checkpoint.Due(pfn)) checkpoint.Reach(pfn);
                options.Progress?.Report(new WriteProgress(copied, total, sink.BytesWritten));
            }
        }
        return true;
    }

    /// <summary>
    /// Decides the PT_LOADs. Without zero-page exclusion this needs only the range lists; with it,
    /// one extra read pass finds the zero pages (makedumpfile's counting pass does the same).
    /// </summary>
    public static List<Segment> Plan(IDumpSource source, WriterOptions options, bool excludeZero)
    {
        var ram = source.RamRanges().ToList();
        var present = source.PresentRanges().ToList();
        var kept = excludeZero ? NonZeroRuns(source, present, options) : present;
        var result = new List<Segment>();
        int ki = 0;
        foreach (var r in ram)
        {
            Segment? cur = null;
            while (ki < kept.Count && kept[ki].End <= r.Start) ki++;
            for (; ki < kept.Count && kept[ki].Start < r.End; ki++)
            {
                var k = new PfnRange(Math.Max(kept[ki].Start, r.Start), Math.Min(kept[ki].End, r.End));
                if (cur is null)
                {
                    if (k.Start > r.Start) result.Add(new Segment(r.Start, r.Start, k.Start));
                    cur = new Segment(k.Start, k.End, k.End);
                    continue;
                }
                var c = cur.Value;
                // A short run of excluded zero pages is written (its bytes are truly zero);
                // a long one, or any page the source lacks, becomes a hole.
                if (k.Start - c.FileEnd < HoleThreshold && IsInside(present, c.FileEnd, k.Start))
                    cur = c with { FileEnd = k.End, MemEnd = k.End };
                else
                {
                    result.Add(c with { MemEnd = k.Start });
                    cur = new Segment(k.Start, k.End, k.End);
                }
            }
            if (ki > 0 && ki <= kept.Count && kept[ki - 1].End > r.End) ki--; // a kept run spanning two RAM runs
            if (cur is { } last) result.Add(last with { MemEnd = r.End });
            else result.Add(new Segment(r.Start, r.Start, r.End));
        }
        return result;
    }

    private static bool IsInside(List<PfnRange> ranges, ulong start, ulong end)
    {
        int lo = 0, hi = ranges.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ranges[mid].End <= start) lo = mid + 1; else hi = mid;
        }
        return lo < ranges.Count && ranges[lo].Start <= start && ranges[lo].End >= end;
    }

    private static List<PfnRange> NonZeroRuns(IDumpSource source, List<PfnRange> present, WriterOptions options)
    {
        var runs = new List<PfnRange>();
        ulong? runStart = null, prev = null;
        new PagePipeline(source, options with { Compression = Reader.Codecs.PageCompression.None }).Run(present, (in PageItem p) =>
        {
            bool keep = p.Status == PageStatus.Present && !p.IsZero;
            if (keep)
            {
                if (runStart is null
                    || prev + 1 != p.Pfn) { if (runStart is { } s) runs.Add(new PfnRange(s, prev!.Value + 1)); runStart = p.Pfn; }
                prev = p.Pfn;
            }
        });
        if (runStart is { } rs) runs.Add(new PfnRange(rs, prev!.Value + 1));
        return runs;
    }

    /// <summary>
    /// The direct map's virtual base, so PT_LOADs carry kernel virtual addresses even when the
    /// source's were 0 or equal to p_paddr (QEMU paging=false): gdb and drgn read by p_vaddr.
    /// </summary>
    public static ulong DirectMapBase(IDumpSource source) => Architectures.For(source.Header.Machine)?.DirectMapBase(source) ?? 0;

    private static ulong VirtualAddress(IDumpSource source, ulong paddr, ulong directMapBase)
    {
        if (source.Facts.Elf is { } elf)
        {
            var arch = Architectures.For(source.Header.Machine);
            foreach (var p in elf.Loads)
            {
                bool real = p.VirtualAddress != 0 && p.VirtualAddress != p.PhysicalAddress;
                if (real && paddr >= p.PhysicalAddress && paddr < p.PhysicalAddress + p.MemorySize
                    && !(arch?.IsKernelImageMapping(p.VirtualAddress, source.VmcoreInfo) ?? false))
                    return p.VirtualAddress + (paddr - p.PhysicalAddress);
            }
        }
        return directMapBase == 0 ? 0 : directMapBase + paddr;
    }

    private static long Align(long v, int a) => (v + a - 1) / a * a;
}
