using HvDumpKit.Reader.Kernel;

namespace HvDumpKit.Reader.Arch.Arm64;

/// <summary>
/// arm64 kernel virtual → physical from VMCOREINFO alone: the linear map by PHYS_OFFSET
/// (Arm64KernelLayout), the part of the image VMCOREINFO vouches for by kimage_voffset, and
/// everything else — the vmemmap (struct pages), vmalloc, the rest of the image — by walking
/// swapper_pg_dir (Arm64PageTables). The vmemmap's base moved between kernel versions
/// (VMEMMAP_START, then vmemmap itself shifted by memstart_addr); mem_section's encoded
/// mem_map already carries it, and the tables map it wherever it is, so no base is computed.
/// </summary>
public sealed class Arm64AddressSpace : IKernelAddressSpace
{
    private readonly Arm64PageTables _tables;

    private Arm64AddressSpace(PhysicalMemory mem, Arm64KernelLayout layout)
    {
        Memory = mem;
        Layout = layout;
        // With 4 KiB pages a 52-bit kernel on 48-bit hardware folds its top level (LPA2); 16 and
        // 64 KiB kernels keep VA_BITS' tables and point TTBR1 into them, so the walk indexes by VA_BITS.
        int walkBits = layout.PageSize == 4096 ? layout.VaBitsActual : layout.VaBits;
        // 64 KiB descriptors hold OA[51:48] in bits that are otherwise RES0; with 4 and 16 KiB the
        // kernel uses the LPA2 format only when the hardware runs 52-bit VAs, and otherwise
        // bits 9:8 are still shareability, not address.
        bool pa52 = layout.Pa52 && (layout.PageSize == 65536 || layout.VaBitsActual == 52);
        _tables = new Arm64PageTables(mem, layout.SwapperPgDirPhys, layout.PageSize, walkBits, pa52);
    }

    public PhysicalMemory Memory { get; }
    public Arm64KernelLayout Layout { get; }
    public int PageTableLevels => _tables.LevelCount;

    /// <summary>
    /// Null with the reason when the dump has no VMCOREINFO or it lacks a key; throws
    /// DumpFormatException when a key holds a value no arm64 kernel has.
    /// </summary>
    public static Arm64AddressSpace? Create(IDumpSource source, out string? why)
    {
        var vi = source.VmcoreInfo;
        if (vi is null) { why = "the dump has no VMCOREINFO"; return null; }
        long noteOffset = source.Notes.VmcoreInfoNote?.DescOffset ?? 0;
        var layout = Arm64KernelLayout.TryRead(vi, source.Header.PageSize, noteOffset, out why);
        return layout is null ? null : new Arm64AddressSpace(new PhysicalMemory(source), layout);
    }

    public ulong? Translate(ulong va) => Translate(va, null);

    public ulong? Translate(ulong va, List<ulong>? tablesRead)
    {
        if (Layout.IsLinear(va)) return Layout.LinearToPhys(va);
        if (Layout.IsImage(va)) return va - Layout.KimageVoffset;
        return _tables.Walk(va, tablesRead) is (ulong pa, _) ? pa : null;
    }

    public bool TryReadVirtual(ulong va, Span<byte> dst)
    {
        while (dst.Length > 0)
        {
            ulong pa, span;
            if (Layout.IsLinear(va)) { pa = Layout.LinearToPhys(va); span = Left(va, Layout.PageEnd); }
            else if (Layout.IsImage(va)) { pa = va - Layout.KimageVoffset; span = Left(va, Layout.ImageEnd); }
            else if (_tables.Walk(va) is (ulong p, ulong left)) { pa = p; span = left; }
            else return false;
            int n = (int)Math.Min((ulong)dst.Length, span);
            if (!Memory.TryRead(pa, dst[..n])) return false;
            dst = dst[n..];
            va += (ulong)n;
        }
        return true;
    }

    /// <summary>Bytes from va to end (0 = the top of the address space), at least one.</summary>
    private static ulong Left(ulong va, ulong end) => end == 0 ? (va == 0 ? ulong.MaxValue : 0 - va) : end - va;
}
