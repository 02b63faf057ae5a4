using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch;

namespace HvDumpKit.Writers.Elf;

/// <summary>
/// What an ELF output keeps of an ELF source's own program headers, as makedumpfile -E does:
/// the exact end of a PT_LOAD that ends inside a page (its MemSiz, never a byte more: the kernel's
/// kexec_load /proc/vmcore has PT_LOAD 0x1000–0x9fc00, written FileSiz 0x9e000 / MemSiz 0x9ec00),
/// the exact start of one that starts inside a page (the page's first bytes stay in the file, unclaimed),
/// and the kernel-image PT_LOAD (vaddr the KASLR'd _stext), which tools that read kernel text by
/// virtual address rely on. Other sources state neither, and get page-granular segments only.
/// </summary>
public sealed class SourceSegments
{
    /// <summary>A kernel-image PT_LOAD of the source: its virtual and physical start and length in bytes.</summary>
    public readonly record struct KernelImage(ulong VirtualAddress, ulong PhysicalAddress, ulong Size);

    /// <summary>A PT_LOAD for a piece of the kernel image whose bytes an output segment's file part holds.</summary>
    public readonly record struct KernelPiece(ulong VirtualAddress, ulong PhysicalAddress, ulong Size, int Segment, ulong OffsetInSegment);

    private readonly Dictionary<ulong, ulong> _tailAfterPfn = [];
    private readonly Dictionary<ulong, ulong> _headInPfn = [];

    public SourceSegments(IDumpSource source)
    {
        if (source.Facts.Elf is not { } elf) return;
        ulong ps = (ulong)source.Header.PageSize;
        var arch = Architectures.For(source.Header.Machine);
        var images = new List<KernelImage>();
        foreach (var p in elf.Loads)
        {
            if (arch?.IsKernelImageMapping(p.VirtualAddress, source.VmcoreInfo) ?? false)
            {
                if (p.FileSize > 0)
                    images.Add(new KernelImage(p.VirtualAddress, p.PhysicalAddress, Math.Min(p.FileSize, p.MemorySize)));
                continue;
            }
            ulong start = p.PhysicalAddress, end = p.PhysicalAddress + p.MemorySize;
            // A start inside a page no other PT_LOAD fills before it (FADump's 0x400101b0): the segment starts there too.
            if (start % ps != 0 && !elf.Loads.Any(q => q.PhysicalAddress < start && q.PhysicalAddress + q.MemorySize >= start))
                _headInPfn[start / ps] = start % ps;
            // Only a tail no other PT_LOAD continues: then the page it ends inside is not RAM, and MemSiz says where it ends.
            if (end % ps != 0 && !elf.Loads.Any(q => q.PhysicalAddress <= end && q.PhysicalAddress + q.MemorySize > end))
                _tailAfterPfn[end / ps] = end % ps;
        }
        Images = images;
    }

    public IReadOnlyList<KernelImage> Images { get; } = [];

    /// <summary>Bytes of the source's memory past PFN end (exclusive) that its PT_LOAD still claims: MemSiz's tail.</summary>
    public ulong TailAfter(ulong endPfn) => _tailAfterPfn.GetValueOrDefault(endPfn);

    /// <summary>Bytes at the start of PFN pfn that the source's PT_LOAD starting inside it does not have.</summary>
    public ulong HeadIn(ulong pfn) => _headInPfn.GetValueOrDefault(pfn);

    /// <summary>The pieces of every kernel image that the segments' file parts hold, in image order.</summary>
    public List<KernelPiece> Pieces(IReadOnlyList<ElfWriter.Segment> segments, int pageSize)
    {
        var pieces = new List<KernelPiece>();
        ulong ps = (ulong)pageSize;
        foreach (var k in Images)
            for (int i = 0; i < segments.Count; i++)
            {
                ulong from = Math.Max(k.PhysicalAddress, segments[i].Start * ps);
                ulong to = Math.Min(k.PhysicalAddress + k.Size, segments[i].FileEnd * ps);
                if (to <= from) continue;
                ulong vaddr = k.VirtualAddress + (from - k.PhysicalAddress);
                pieces.Add(new KernelPiece(vaddr, from, to - from, i, from - segments[i].Start * ps));
            }
        return pieces;
    }
}
