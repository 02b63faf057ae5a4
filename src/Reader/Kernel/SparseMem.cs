namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// The SPARSEMEM mem_section table from VMCOREINFO (filtering.md §3): which sections have a
/// mem_map. makedumpfile sizes its bitmaps to the last such section (get_mem_map), and refuses
/// to re-filter a kdump file whose max_mapnr runs past it (QEMU's BIOS PT_LOAD at 4 GiB does).
/// </summary>
public static class SparseMem
{
    private const ulong SectionMarkedPresent = 1, SectionHasMemMap = 2;

    /// <summary>One past the last PFN covered by a section with a mem_map; null when unknown.</summary>
    public static ulong? EndOfMemMap(IDumpSource source)
    {
        var vi = source.VmcoreInfo;
        if (vi is null || source.Header.Machine != Machine.X86_64) return null;
        var aspace = X86_64AddressSpace.TryCreate(source);
        ulong? table = vi.Symbol("mem_section");
        long? size = vi.Size("mem_section");
        long? mapOff = vi.Offset("mem_section.section_mem_map");
        if (aspace is null || table is null || size is not > 0 || mapOff is null) return null;
        int pageShift = System.Numerics.BitOperations.Log2((uint)source.Header.PageSize);
        int sectionBits = (int)(vi.Number("SECTION_SIZE_BITS") ?? 27);
        int physBits = (int)(vi.Number("MAX_PHYSMEM_BITS") ?? ((vi.Number("pgtable_l5_enabled") ?? 0) != 0 ? 52 : 46));
        if (sectionBits <= pageShift || physBits <= sectionBits || physBits > 64) return null;
        ulong pagesPerSection = 1UL << (sectionBits - pageShift);
        ulong nrSections = 1UL << (physBits - sectionBits);
        ulong perRoot = (ulong)source.Header.PageSize / (ulong)size.Value;
        long? length = vi.Length("mem_section");
        bool extreme = length is null || (ulong)length.Value == (nrSections + perRoot - 1) / perRoot;
        ulong scan = Math.Min(nrSections, (source.MaxPfn + pagesPerSection - 1) / pagesPerSection);
        Span<byte> b = stackalloc byte[8];
        ulong? last = null;
        ulong cachedRootIndex = ulong.MaxValue, cachedRoot = 0;
        for (ulong nr = 0; nr < scan; nr++)
        {
            ulong sectionAddr;
            if (extreme)
            {
                ulong ri = nr / perRoot;
                if (ri != cachedRootIndex)
                {
                    cachedRootIndex = ri;
                    cachedRoot = aspace.TryReadVirtual(table.Value + ri * 8, b) ? Endian.U64(b, source.Header.ByteOrder) : 0;
                }
                if (cachedRoot == 0) continue;
                sectionAddr = cachedRoot + (nr % perRoot) * (ulong)size.Value;
            }
            else sectionAddr = table.Value + nr * (ulong)size.Value;
            if (!aspace.TryReadVirtual(sectionAddr + (ulong)mapOff.Value, b)) continue;
            ulong v = Endian.U64(b, source.Header.ByteOrder);
            if ((v & SectionMarkedPresent) != 0 && (v & SectionHasMemMap) != 0) last = nr;
        }
        return last is ulong l ? (l + 1) * pagesPerSection : null;
    }
}
