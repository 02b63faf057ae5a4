using HvDumpKit.Reader.Arch;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Elf;

/// <summary>
/// An ELF vmcore (/proc/vmcore, makedumpfile -E, QEMU dump-guest-memory) read by physical
/// address through its PT_LOADs. Segment data is read positionally; nothing proportional to
/// memory size is held (only the program header table, capped by DumpLimits).
/// </summary>
public sealed class ElfDumpSource : IDumpSource, IBulkPageReader, IFileRunSource
{
    private readonly IRandomAccessInput _input;
    private readonly PhysicalExtent[] _extents; // sorted by PhysStart, non-overlapping
    private readonly List<string> _warnings = new();

    private ElfDumpSource(IRandomAccessInput input, ElfHeader eh, List<ProgramHeader> phdrs, DumpLimits limits, VmcoreInfo? supplied)
    {
        _input = input;
        ElfHeader = eh;
        ProgramHeaders = phdrs;
        Identity = ElfSharpAdapter.Decode(eh, phdrs);
        if (eh.PhOff != (ulong)eh.EhdrSize)
            _warnings.Add($"program headers at offset {eh.PhOff}, not right after the ELF header (QEMU 7.2 layout)");
        if (eh.EhSize != eh.EhdrSize)
            _warnings.Add($"e_ehsize is {eh.EhSize}, not {eh.EhdrSize}; ignored");

        Notes = ReadNotes(input, eh, phdrs, limits);
        var order = eh.ByteOrder;
        var arch = Architectures.For(eh.Machine);
        if (arch?.KernelByteOrder(Notes) is { } kernelOrder && kernelOrder != eh.ByteOrder)
        {
            // QEMU's pseries dumps: the header's byte order is not the kernel's. Memory is read, and
            // outputs are written, in the kernel's; the notes are re-encoded into it.
            var dropped = new List<string>();
            Notes = NoteByteOrder.Reencode(Notes, kernelOrder, dropped);
            order = kernelOrder;
            _warnings.Add($"the ELF header says {Name(eh.ByteOrder)}-endian but the saved MSR says the kernel ran " +
                $"{Name(kernelOrder)}-endian (QEMU pseries): read as {Name(kernelOrder)}-endian"
                + (dropped.Count > 0 ? $"; notes of unknown layout left out: {string.Join(", ", dropped.Distinct())}" : ""));
        }
        // makedumpfile -i: this one, wherever the dump's own is
        if (supplied is not null) Notes = Notes.WithVmcoreInfo(supplied.Text, order);
        var vmciNote = Notes.VmcoreInfoNote;
        if (vmciNote is not null)
        {
            if (vmciNote.DescSize > limits.MaxVmcoreInfoBytes)
                throw DumpFormatException.Field(vmciNote.RecordOffset, "VMCOREINFO n_descsz", (ulong)vmciNote.DescSize,
                    "exceeds the VMCOREINFO size limit");
            VmcoreInfo = VmcoreInfo.FromBytes(Notes.Desc(vmciNote));
        }
        int pageSize = VmcoreInfo?.PageSize ?? DefaultPageSize(eh.Machine);
        if (pageSize < 512 || pageSize > limits.MaxPageSize || (pageSize & (pageSize - 1)) != 0)
            throw new DumpFormatException(input.Path, vmciNote?.DescOffset ?? 0, "VMCOREINFO PAGESIZE", pageSize.ToString(),
                $"is not a power of two from 512 to {limits.MaxPageSize}");
        Header = new DumpHeader(DumpFormat.Elf, eh.Machine, order, pageSize, eh.Is64Bit, eh.Flags);
        _extents = BuildExtents(phdrs, eh, arch, input.Length, limits);
        MaxPfn = _extents.Length == 0 ? 0 : _extents.Max(x => DivUp(x.PhysEnd, (ulong)pageSize));
        Facts = new DumpFacts
        {
            FormatName = $"ELF vmcore (ELF{(eh.Is64Bit ? "64" : "32")})",
            Elf = new ElfLayoutFacts(eh, phdrs, _extents, TruncatedPages, FirstTruncatedPfn, Truncation),
        };
    }

    /// <param name="vmcoreInfo">VMCOREINFO from elsewhere (makedumpfile -i): replaces the dump's own and sets the page size</param>
    public static ElfDumpSource Open(IRandomAccessInput input, DumpLimits? limits = null, VmcoreInfo? vmcoreInfo = null)
    {
        limits ??= DumpLimits.Default;
        try
        {
            var eh = ElfHeaderReader.ReadHeader(input, limits);
            var phdrs = ElfHeaderReader.ReadProgramHeaders(input, eh);
            return new ElfDumpSource(input, eh, phdrs, limits, vmcoreInfo);
        }
        catch (DumpFormatException ex) { throw ex.WithFile(input.Path); }
    }

    public string Path => _input.Path;
    public ElfHeader ElfHeader { get; }
    public ElfSharpAdapter.ElfIdentity Identity { get; }
    public IReadOnlyList<ProgramHeader> ProgramHeaders { get; }
    public IReadOnlyList<PhysicalExtent> Extents => _extents;
    public DumpHeader Header { get; }
    public DumpFacts Facts { get; }
    public NoteSet Notes { get; }
    public VmcoreInfo? VmcoreInfo { get; }
    public ulong MaxPfn { get; }
    public int DumpLevel => 0;
    public IReadOnlyList<string> Warnings => _warnings;
    public IEnumerable<ProgramHeader> Loads => ProgramHeaders.Where(p => p.IsLoad);
    /// <summary>Set when page data runs past the end of the file: what a conversion refuses (DumpProbe.OpenWhole).</summary>
    public DumpFormatException? Truncation { get; private set; }
    /// <summary>Pages the program headers say the file holds but that lie past its end (0 when whole).</summary>
    public ulong TruncatedPages => PfnRanges.Count(_truncated);
    public ulong? FirstTruncatedPfn => _truncated.Count == 0 ? null : _truncated.Min(t => t.Start);
    private readonly List<PfnRange> _truncated = new(); // one per truncated PT_LOAD at most

    private static string Name(ByteOrder o) => o == ByteOrder.Little ? "little" : "big";

    /// <summary>The machine's page size, or 4 KiB (what most machines use) for one not in Architectures.</summary>
    public static int DefaultPageSize(Machine m) => Architectures.For(m)?.DefaultPageSize ?? 4096;

    private static NoteSet ReadNotes(IRandomAccessInput input, ElfHeader eh, List<ProgramHeader> phdrs, DumpLimits limits)
    {
        ulong total = 0;
        foreach (var p in phdrs.Where(p => p.IsNote))
        {
            CheckInFile(input, eh, p);
            total += p.FileSize;
            if (total > limits.MaxNoteBytes)
                throw DumpFormatException.Field(p.HeaderOffset + ElfHeaderReader.FieldOffset(eh, PhdrField.p_filesz), "p_filesz",
                    p.FileSize,
                    $"PT_NOTE segments total more than the {limits.MaxNoteBytes}-byte limit");
        }
        var blob = new byte[total];
        int at = 0;
        var notes = new List<ElfNote>();
        foreach (var p in phdrs.Where(p => p.IsNote))
        {
            var seg = blob.AsSpan(at, (int)p.FileSize);
            input.ReadExactly((long)p.FileOffset, seg, "PT_NOTE");
            // Each PT_NOTE is walked alone; zero padding at its end is tolerated.
            var part = NoteSet.Parse(seg.ToArray(), eh.ByteOrder, (long)p.FileOffset, limits);
            foreach (var n in part.Notes)
                notes.Add(n with { RecordOffset = n.RecordOffset + at, DescOffset = n.DescOffset + at });
            at += (int)p.FileSize;
        }
        return new NoteSet(blob, notes, eh.ByteOrder);
    }

    private static void CheckInFile(IRandomAccessInput input, ElfHeader eh, ProgramHeader p)
    {
        ulong len = (ulong)input.Length;
        if (p.FileOffset > len || len - p.FileOffset < p.FileSize)
            throw DumpFormatException.Field(p.HeaderOffset + ElfHeaderReader.FieldOffset(eh, PhdrField.p_filesz), "p_filesz", p.FileSize,
                $"at p_offset 0x{p.FileOffset:X} runs past end of file (0x{len:X})");
    }

    private PhysicalExtent[] BuildExtents(List<ProgramHeader> phdrs, ElfHeader eh, IArchitecture? arch, long fileLength, DumpLimits limits)
    {
        var loads = new List<(ProgramHeader P, int Index)>();
        for (int i = 0; i < phdrs.Count; i++)
        {
            var p = phdrs[i];
            if (!p.IsLoad || p.MemorySize == 0) continue;
            if (p.FileSize > p.MemorySize)
                throw DumpFormatException.Field(p.HeaderOffset + ElfHeaderReader.FieldOffset(eh, PhdrField.p_filesz), "p_filesz",
                    p.FileSize,
                    $"is larger than p_memsz (0x{p.MemorySize:X})");
            if (p.PhysicalAddress + p.MemorySize < p.PhysicalAddress)
                throw DumpFormatException.Field(p.HeaderOffset + ElfHeaderReader.FieldOffset(eh, PhdrField.p_memsz), "p_memsz",
                    p.MemorySize, "wraps around the address space");
            if (p.PhysicalAddress + p.MemorySize > limits.MaxPhysicalAddress)
                throw DumpFormatException.Field(p.HeaderOffset + ElfHeaderReader.FieldOffset(eh, PhdrField.p_memsz), "p_memsz",
                    p.MemorySize,
                    $"at p_paddr 0x{p.PhysicalAddress:X} ends beyond the 0x{limits.MaxPhysicalAddress:X} physical address limit");
            if (p.FileOffset + p.FileSize < p.FileOffset)
                throw DumpFormatException.Field(p.HeaderOffset + ElfHeaderReader.FieldOffset(eh, PhdrField.p_filesz), "p_filesz",
                    p.FileSize, $"at p_offset 0x{p.FileOffset:X} wraps around");
            var q = p;
            if (p.FileSize > 0 && p.FileOffset + p.FileSize > (ulong)fileLength)
            {
                // A truncated file (a copy cut short, a disk that filled up, a save still being
                // written): what is there stays readable; the rest is counted as missing but not
                // walked page by page — a damaged p_filesz may claim petabytes past a small file.
                Truncation ??= new DumpFormatException(_input.Path, p.HeaderOffset + ElfHeaderReader.FieldOffset(eh, PhdrField.p_filesz),
                    "p_filesz", $"0x{p.FileSize:X}",
                    $"at p_offset 0x{p.FileOffset:X} runs past end of file (0x{fileLength:X}): the file is truncated");
                ulong inFile = p.FileOffset >= (ulong)fileLength ? 0 : (ulong)fileLength - p.FileOffset;
                ulong ps = (ulong)Header.PageSize;
                ulong firstMissing = (p.PhysicalAddress + inFile) / ps, endMissing = (p.PhysicalAddress + p.FileSize + ps - 1) / ps;
                _truncated.Add(new PfnRange(firstMissing, endMissing));
                if (_truncated.Count == 1)
                    _warnings.Add($"the file is truncated: PT_LOAD[{i}] (p_offset 0x{p.FileOffset:X}, p_filesz 0x{p.FileSize:X}) runs " +
                        $"past its end (0x{fileLength:X}); the pages beyond it are missing");
                q = p with { FileSize = inFile / ps * ps }; // whole pages only
            }
            loads.Add((q, i));
        }
        // A kernel-image PT_LOAD (x86_64 kexec) repeats direct-map bytes; prefer the direct map.
        loads.Sort((a, b) =>
        {
            int c = a.P.PhysicalAddress.CompareTo(b.P.PhysicalAddress);
            return c != 0 ? c : IsKernelImage(a.P, arch).CompareTo(IsKernelImage(b.P, arch));
        });
        var result = new List<PhysicalExtent>(loads.Count);
        ulong coveredEnd = 0;
        bool any = false;
        foreach (var (p, idx) in loads)
        {
            ulong start = p.PhysicalAddress, end = p.PhysicalAddress + p.MemorySize;
            if (any && start < coveredEnd)
            {
                _warnings.Add($"PT_LOAD[{idx}] paddr 0x{start:x}-0x{end:x} overlaps earlier PT_LOADs up to 0x{coveredEnd:x}; the earlier " +
                    $"copy is used");
                if (end <= coveredEnd) continue;
                ulong skip = coveredEnd - start;
                ulong fileSize = p.FileSize > skip ? p.FileSize - skip : 0;
                result.Add(new PhysicalExtent(coveredEnd, end - coveredEnd, p.FileOffset + Math.Min(skip, p.FileSize), fileSize, idx));
            }
            else
            {
                result.Add(new PhysicalExtent(start, p.MemorySize, p.FileOffset, p.FileSize, idx));
            }
            coveredEnd = any ? Math.Max(coveredEnd, end) : end;
            any = true;
        }
        return result.ToArray();
    }

    private bool IsKernelImage(ProgramHeader p, IArchitecture? arch) => arch?.IsKernelImageMapping(p.VirtualAddress, VmcoreInfo) ?? false;

    private static ulong DivUp(ulong a, ulong b) => a / b + (a % b != 0 ? 1UL : 0UL);

    /// <summary>
    /// PFNs of RAM, by makedumpfile's rule for an ELF vmcore (create_bitmap_from_memhole): a
    /// PT_LOAD covers PFNs floor(start / page) to floor(end / page), exclusive. A page the segment
    /// starts inside counts (the bytes before the start read as zero, or from the PT_LOAD that has
    /// them); a page it ends inside does not, because the dump lacks its tail: with kexec_load the
    /// kernel's /proc/vmcore has a PT_LOAD 0x1000–0x9fc00, and PFN 0x9f is not in makedumpfile's dump.
    /// </summary>
    public IEnumerable<PfnRange> RamRanges()
    {
        ulong ps = (ulong)Header.PageSize;
        return PfnRanges.Coalesce(_extents.Select(e => new PfnRange(e.PhysStart / ps, e.PhysEnd / ps)).Where(r => r.End > r.Start));
    }

    /// <summary>
    /// PFNs whose bytes the file holds: RAM as above, less the pages wholly past p_filesz
    /// (makedumpfile's exclude_nodata_pages keeps a page the file data ends inside).
    /// </summary>
    public IEnumerable<PfnRange> PresentRanges()
    {
        ulong ps = (ulong)Header.PageSize;
        return PfnRanges.Coalesce(_extents.Where(e => e.FileSize > 0)
            .Select(e => new PfnRange(e.PhysStart / ps, Math.Min(DivUp(e.FileBackedEnd, ps), e.PhysEnd / ps))).Where(r => r.End > r.Start));
    }

    /// <summary>Index of the first extent whose end lies above pa.</summary>
    private int FirstExtentEndingAfter(ulong pa)
    {
        int lo = 0, hi = _extents.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_extents[mid].PhysEnd <= pa) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public PageStatus ReadPage(ulong pfn, Span<byte> page)
    {
        int ps = Header.PageSize;
        ulong pa0 = pfn * (ulong)ps, pa1 = pa0 + (ulong)ps;
        // The common case, a page wholly inside one extent's file data, needs no clearing.
        int first = FirstExtentEndingAfter(pa0);
        if (first < _extents.Length && _extents[first].PhysStart <= pa0 && _extents[first].FileBackedEnd >= pa1
            && (first == 0 || _extents[first - 1].PhysEnd <= pa0))
        {
            long at = (long)(_extents[first].FileOffset + (pa0 - _extents[first].PhysStart));
            if (_input.ReadAt(at, page[..ps]) != ps) { page[..ps].Clear(); return PageStatus.Lost; } // past the end of a truncated file
            return PageStatus.Present;
        }
        page[..ps].Clear();
        bool ram = false, saved = false;
        for (int i = FirstExtentEndingAfter(pa0); i < _extents.Length && _extents[i].PhysStart < pa1; i++)
        {
            var e = _extents[i];
            ram = true;
            ulong from = Math.Max(pa0, e.PhysStart);
            ulong to = Math.Min(pa1, e.FileBackedEnd);
            if (to <= from) continue;
            var dst = page.Slice((int)(from - pa0), (int)(to - from));
            long off = (long)(e.FileOffset + (from - e.PhysStart));
            int n = _input.ReadAt(off, dst);
            if (n != dst.Length) { page[..ps].Clear(); return PageStatus.Lost; } // past the end of a truncated file
            saved = true;
        }
        if (saved) return PageStatus.Present;
        // Past the end of a truncated file the page was meant to be there: lost, not excluded.
        if (ram) return _truncated.Any(t => t.Contains(pfn)) ? PageStatus.Lost : PageStatus.Excluded;
        return PageStatus.NotInDump;
    }

    /// <summary>
    /// The extent whose file data holds whole pages from pfn on, the file offset of pfn's page and
    /// how many whole pages follow it there; null when pfn's page is not wholly in one extent's
    /// file data, or a neighbouring extent supplies part of it (an unaligned PT_LOAD edge).
    /// </summary>
    private (long Offset, ulong Pages)? WholePagesAt(ulong pfn)
    {
        ulong ps = (ulong)Header.PageSize;
        ulong pa0 = pfn * ps;
        int i = FirstExtentEndingAfter(pa0);
        if (i >= _extents.Length) return null;
        var e = _extents[i];
        if (e.PhysStart > pa0 || e.FileBackedEnd < pa0 + ps || (i > 0 && _extents[i - 1].PhysEnd > pa0)) return null;
        return ((long)(e.FileOffset + (pa0 - e.PhysStart)), (e.FileBackedEnd - pa0) / ps);
    }

    public bool TryReadPages(ulong pfn, int count, Span<byte> dst)
    {
        if (WholePagesAt(pfn) is not (long off, ulong pages) || pages < (ulong)count) return false;
        int want = count * Header.PageSize;
        return _input.ReadAt(off, dst[..want]) == want; // short: a truncated file, the per-page path says which are missing
    }

    public (Microsoft.Win32.SafeHandles.SafeFileHandle File, long Offset, ulong Pages)? FileRun(ulong pfn, ulong maxPages)
    {
        // A mapped /proc/vmcore is read through its mapping (the page path), never with pread on the handle.
        if (_input is not IO.PlainFileInput { Mapped: false } plain || maxPages == 0 || WholePagesAt(pfn) is not (long off, ulong pages))
            return null;
        return (plain.Handle, off, Math.Min(maxPages, pages));
    }

    /// <summary>The file range holding physical address pa, or null when pa is not saved.</summary>
    public (ulong FileOffset, ulong Bytes)? FileRangeOf(ulong pa)
    {
        int i = FirstExtentEndingAfter(pa);
        if (i >= _extents.Length || _extents[i].PhysStart > pa) return null;
        var e = _extents[i];
        if (pa >= e.FileBackedEnd) return null;
        return (e.FileOffset + (pa - e.PhysStart), e.FileBackedEnd - pa);
    }

    public void Dispose() => _input.Dispose();
}
