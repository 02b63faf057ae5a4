using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Arch.X86_64;

/// <summary>
/// x86_64 kernel virtual → physical from VMCOREINFO alone (filtering.md §8): kernel-image
/// addresses by __pa_symbol (va − __START_KERNEL_map + phys_base), everything else by walking
/// init_top_pgt with 4- or 5-level paging, honouring 1 GiB and 2 MiB pages and sme_mask.
/// </summary>
public sealed class X86_64AddressSpace : IKernelAddressSpace
{
    public const ulong StartKernelMap = 0xffffffff80000000UL;
    private const ulong PresentBit = 1, PageSizeBit = 0x80;
    private const ulong PhysMask = 0x000ffffffffff000UL;

    private readonly PhysicalMemory _mem;
    private readonly ulong _pgdPhys;
    private readonly bool _fiveLevel;
    private readonly ulong _smeMask;

    private X86_64AddressSpace(PhysicalMemory mem, ulong physBase, ulong pgdPhys, bool fiveLevel, ulong smeMask)
    {
        _mem = mem;
        PhysBase = physBase;
        _pgdPhys = pgdPhys;
        _fiveLevel = fiveLevel;
        _smeMask = smeMask;
    }

    public ulong PhysBase { get; }

    /// <summary>Null when VMCOREINFO lacks what translation needs.</summary>
    public static X86_64AddressSpace? TryCreate(IDumpSource source)
    {
        var vi = source.VmcoreInfo;
        if (vi is null || source.Header.Machine != Machine.X86_64) return null;
        ulong? pgd = vi.Symbol("init_top_pgt") ?? vi.Symbol("init_level4_pgt") ?? vi.Symbol("swapper_pg_dir");
        if (pgd is null) return null;
        ulong physBase = vi.PhysBase ?? 0;
        bool l5 = (vi.Number("pgtable_l5_enabled") ?? 0) != 0;
        ulong sme = unchecked((ulong)(vi.Number("sme_mask") ?? 0));
        if (pgd.Value < StartKernelMap) return null;
        return new X86_64AddressSpace(new PhysicalMemory(source), physBase, pgd.Value - StartKernelMap + physBase, l5, sme);
    }

    public PhysicalMemory Memory => _mem;

    /// <summary>Translates a kernel virtual address; null when unmapped or the page tables are not in the dump.</summary>
    public ulong? Translate(ulong va)
    {
        if (va >= StartKernelMap) return va - StartKernelMap + PhysBase;
        return Walk(va);
    }

    public ulong? Walk(ulong va) => Walk(va, null);

    /// <summary>The kernel image by __pa_symbol; anything else walks the tables, which visited receives.</summary>
    public ulong? Translate(ulong va, List<ulong>? tablesRead) => va >= StartKernelMap ? va - StartKernelMap + PhysBase : Walk(va,
        tablesRead);

    /// <summary>Translation and the size of the page that maps it (4 KiB, 2 MiB or 1 GiB).</summary>
    public (ulong Pa, ulong PageSize)? WalkWithSize(ulong va)
    {
        ulong leaf = 0;
        var pa = Walk(va, null, ref leaf);
        return pa is ulong p ? (p, leaf) : null;
    }

    public ulong? Walk(ulong va, List<ulong>? visited)
    {
        ulong leaf = 0;
        return Walk(va, visited, ref leaf);
    }

    /// <summary>Walks the page tables; visited receives the physical address of each table read.</summary>
    private ulong? Walk(ulong va, List<ulong>? visited, ref ulong leafSize)
    {
        ulong table = _pgdPhys;
        int[] shifts = _fiveLevel ? [48, 39, 30, 21, 12] : [39, 30, 21, 12];
        for (int level = 0; level < shifts.Length; level++)
        {
            int shift = shifts[level];
            ulong index = (va >> shift) & 511;
            visited?.Add(table);
            ulong? e = _mem.ReadU64(table + index * 8);
            if (e is null) return null;
            ulong entry = e.Value & ~_smeMask;
            if ((entry & PresentBit) == 0) return null;
            bool leaf = shift == 12 || ((shift == 30 || shift == 21) && (entry & PageSizeBit) != 0);
            if (leaf)
            {
                leafSize = 1UL << shift;
                ulong pageMask = (1UL << shift) - 1;
                return (entry & PhysMask & ~pageMask) | (va & pageMask);
            }
            table = entry & PhysMask;
        }
        return null;
    }

    public bool TryReadVirtual(ulong va, Span<byte> dst)
    {
        while (dst.Length > 0)
        {
            // One translation per mapping page: the kernel image and vmemmap use 2 MiB pages.
            ulong pa, span;
            if (va >= StartKernelMap) { pa = va - StartKernelMap + PhysBase; span = (ulong)dst.Length; }
            else
            {
                if (WalkWithSize(va) is not (ulong p, ulong size)) return false;
                pa = p;
                span = size - (va & (size - 1));
            }
            int n = (int)Math.Min((ulong)dst.Length, span);
            if (!_mem.TryRead(pa, dst[..n])) return false;
            dst = dst[n..];
            va += (ulong)n;
        }
        return true;
    }

    /// <summary>
    /// The direct map's base (page_offset_base, randomised by KASLR on a PUD boundary): the lowest
    /// 1 GiB-aligned kernel-half address that maps physical 0.
    /// </summary>
    public ulong? FindPageOffset()
    {
        ulong top = _fiveLevel ? 0xff00000000000000UL : 0xffff800000000000UL;
        int topShift = _fiveLevel ? 48 : 39;
        for (ulong slot = 256; slot < 512; slot++)
        {
            ulong baseVa = top | (slot - 256) << topShift;
            ulong? e = _mem.ReadU64(_pgdPhys + slot * 8);
            if (e is null || ((e.Value & ~_smeMask) & PresentBit) == 0) continue;
            ulong span = 1UL << topShift;
            for (ulong va = baseVa; va < baseVa + span && va >= baseVa; va += 1UL << 30)
            {
                if (Walk(va) == 0) return va;
                if (!_fiveLevel && va - baseVa >= (512UL << 30)) break;
            }
        }
        return null;
    }
}
