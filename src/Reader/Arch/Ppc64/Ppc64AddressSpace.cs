using HvDumpKit.Reader.Kernel;

namespace HvDumpKit.Reader.Arch.Ppc64;

/// <summary>
/// ppc64 kernel virtual → physical from VMCOREINFO alone, as makedumpfile's ppc64 support does
/// it: the linear map (va − 0xc000000000000000: kernel image, direct map, where every
/// SYMBOL() lives) and the vmemmap, through the kernel's own list of the blocks it mapped
/// (vmemmap_list of struct vmemmap_backing, each block 1 &lt;&lt; mmu_psize_defs[mmu_vmemmap_psize].shift
/// bytes). Kernels before 6.6 keep the list under both radix and hash MMUs; a radix kernel since
/// then maps the vmemmap in its page tables only and leaves the list empty, and those tables are
/// walked instead (Ppc64RadixTables), as makedumpfile does when the list is empty.
/// </summary>
public sealed class Ppc64AddressSpace : IKernelAddressSpace
{
    public const ulong KernelBase = 0xc000000000000000UL;
    /// <summary>The linear map ends where vmalloc starts (radix and hash, 64 KiB and 4 KiB pages alike).</summary>
    public const ulong LinearEnd = 0xc008000000000000UL;
    /// <summary>More vmemmap blocks than this (8 TiB of struct pages in 2 MiB blocks) is a corrupt list.</summary>
    public const int MaxVmemmapBlocks = 1 << 22;

    private readonly ulong[] _blockVa, _blockPa; // sorted by va
    private readonly ulong _blockSize;
    private readonly Ppc64RadixTables? _radix;

    private Ppc64AddressSpace(PhysicalMemory mem, ulong[] va, ulong[] pa, ulong blockSize, Ppc64RadixTables? radix = null)
    {
        Memory = mem;
        _blockVa = va;
        _blockPa = pa;
        _blockSize = blockSize;
        _radix = radix;
    }

    /// <summary>Whether the vmemmap translates through the radix page tables (an empty vmemmap_list).</summary>
    public bool WalksRadixTables => _radix is not null;

    public PhysicalMemory Memory { get; }
    public int VmemmapBlocks => _blockVa.Length;
    public ulong VmemmapBlockSize => _blockSize;

    /// <summary>Null (with the reason) when VMCOREINFO lacks the vmemmap keys or the list is corrupt.</summary>
    public static Ppc64AddressSpace? TryCreate(IDumpSource source, out string? why)
    {
        why = null;
        var vi = source.VmcoreInfo;
        if (vi is null) { why = "the dump has no VMCOREINFO"; return null; }
        var mem = new PhysicalMemory(source);
        var order = source.Header.ByteOrder;
        ulong? U64(ulong va) => va >= KernelBase && va < LinearEnd ? mem.ReadU64(va - KernelBase) : null;
        uint? U32(ulong va)
        {
            Span<byte> b = stackalloc byte[4];
            return va >= KernelBase && va < LinearEnd && mem.TryRead(va - KernelBase, b) ? Endian.U32(b, order) : null;
        }

        ulong? head = vi.Symbol("vmemmap_list"), psizeSym = vi.Symbol("mmu_vmemmap_psize"), defs = vi.Symbol("mmu_psize_defs");
        long? defSize = vi.Size("mmu_psize_def"), shiftOff = vi.Offset("mmu_psize_def.shift");
        long? nodeSize = vi.Size("vmemmap_backing"), offList = vi.Offset("vmemmap_backing.list"),
              offPhys = vi.Offset("vmemmap_backing.phys"), offVirt = vi.Offset("vmemmap_backing.virt_addr");
        if (head is null || psizeSym is null || defs is null || defSize is null || shiftOff is null || nodeSize is null || offList is null
            || offPhys is null || offVirt is null)
        {
            why = "VMCOREINFO lacks SYMBOL(vmemmap_list) or the vmemmap_backing/mmu_psize_def keys (a kernel without SPARSEMEM_VMEMMAP)";
            return null;
        }
        foreach (var (name, off) in new[] { ("list", offList.Value), ("phys", offPhys.Value), ("virt_addr", offVirt.Value) })
            if (off < 0
                || off + 8 > nodeSize.Value)
            {
                why =
                $"VMCOREINFO's OFFSET(vmemmap_backing.{name})={off} lies outside SIZE(vmemmap_backing)={nodeSize}"; return null;
            }
        if (shiftOff.Value < 0
            || shiftOff.Value
            + 4 > defSize.Value)
        {
            why = $"VMCOREINFO's OFFSET(mmu_psize_def.shift)={shiftOff} lies outside SIZE(mmu_psize_def)={defSize}";
            return null;
        }

        if (U32(psizeSym.Value) is not uint psize
            || psize > 64) { why = $"mmu_vmemmap_psize at 0x{psizeSym:x} is unreadable or not a page-size index"; return null; }
        if (U32(defs.Value + psize * (ulong)defSize.Value + (ulong)shiftOff.Value) is not uint shift || shift < 12 || shift > 34)
        {
            why = $"mmu_psize_defs[{psize}].shift is unreadable or not a page shift (12–34)";
            return null;
        }
        ulong blockSize = 1UL << (int)shift;

        var blocks = new List<(ulong Va, ulong Pa)>();
        var seen = new HashSet<ulong>();
        ulong? node = U64(head.Value);
        while (node is ulong n && n != 0)
        {
            if (!seen.Add(n)) { why = $"vmemmap_list loops back to 0x{n:x} after {blocks.Count} blocks"; return null; }
            if (blocks.Count >= MaxVmemmapBlocks) { why = $"vmemmap_list holds more than {MaxVmemmapBlocks} blocks"; return null; }
            if (U64(n + (ulong)offVirt.Value) is not ulong va || U64(n + (ulong)offPhys.Value) is not ulong pa)
            {
                why = $"vmemmap_list entry at 0x{n:x} is not readable from the dump";
                return null;
            }
            if (va % blockSize != 0
                || pa % blockSize != 0)
            {
                why = $"vmemmap_list entry at 0x{n:x} maps 0x{va:x} to 0x{pa:x}, not {blockSize}-byte aligned";
                return null;
            }
            blocks.Add((va, pa));
            node = U64(n + (ulong)offList.Value);
            if (node is null) { why = $"vmemmap_list entry at 0x{n:x}: its next pointer is not readable"; return null; }
        }
        if (blocks.Count == 0)
        {
            // An empty list: the vmemmap is in the kernel page tables (radix since 6.6).
            if (vi.Number("RADIX_MMU") != 1)
            {
                why = "vmemmap_list is empty and the kernel runs the hash MMU (NUMBER(RADIX_MMU) is not 1): " +
                    "its vmemmap cannot be translated";
                return null;
            }
            if (vi.Symbol("swapper_pg_dir") is not ulong pgd || pgd < KernelBase || pgd >= LinearEnd)
            {
                why = "vmemmap_list is empty and VMCOREINFO lacks SYMBOL(swapper_pg_dir) in the linear map: " +
                    "the radix page tables cannot be walked";
                return null;
            }
            return new Ppc64AddressSpace(mem, [], [], 0, new Ppc64RadixTables(mem, pgd - KernelBase, source.Header.PageSize));
        }
        blocks.Sort((a, b) => a.Va.CompareTo(b.Va));
        for (int i = 1; i < blocks.Count; i++)
            if (blocks[i].Va == blocks[i - 1].Va) { why = $"vmemmap_list maps 0x{blocks[i].Va:x} twice"; return null; }
        return new Ppc64AddressSpace(mem, blocks.Select(b => b.Va).ToArray(), blocks.Select(b => b.Pa).ToArray(), blockSize);
    }

    /// <summary>The linear map alone, for a dump whose VMCOREINFO does not describe the vmemmap (or has none).</summary>
    public static Ppc64AddressSpace LinearOnly(IDumpSource source) => new(new PhysicalMemory(source), [], [], 0);

    public ulong? Translate(ulong va) => Translate(va, null);

    public ulong? Translate(ulong va, List<ulong>? tablesRead)
    {
        if (va >= KernelBase && va < LinearEnd) return va - KernelBase;
        if (_radix is not null) return _radix.Walk(va, tablesRead) is (ulong rpa, _) ? rpa : null;
        return Vmemmap(va) is (ulong pa, _) ? pa : null;
    }

    /// <summary>The physical address of a vmemmap address and the bytes left in its block.</summary>
    private (ulong Pa, ulong Left)? Vmemmap(ulong va)
    {
        int i = Array.BinarySearch(_blockVa, va);
        if (i < 0) i = ~i - 1;
        if (i < 0 || va - _blockVa[i] >= _blockSize) return null;
        ulong off = va - _blockVa[i];
        return (_blockPa[i] + off, _blockSize - off);
    }

    public bool TryReadVirtual(ulong va, Span<byte> dst)
    {
        while (dst.Length > 0)
        {
            ulong pa, span;
            if (va >= KernelBase && va < LinearEnd) { pa = va - KernelBase; span = Math.Min((ulong)dst.Length, LinearEnd - va); }
            else if ((_radix is not null ? _radix.Walk(va) : Vmemmap(va)) is (ulong p, ulong left)) { pa = p; span = left; }
            else return false;
            int n = (int)Math.Min((ulong)dst.Length, span);
            if (!Memory.TryRead(pa, dst[..n])) return false;
            dst = dst[n..];
            va += (ulong)n;
        }
        return true;
    }
}
