namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// The SPARSEMEM mem_section table (filtering.md §3): for each section with a mem_map, the encoded
/// base such that struct page of PFN p lives at encoded + p·SIZE(page). Holds one word per section
/// up to the dump's max PFN (8 bytes per 128 MiB of memory on x86_64).
/// </summary>
public sealed class MemMap
{
    private const ulong SectionMarkedPresent = 1, SectionHasMemMap = 2;
    private readonly ulong[] _encoded; // 0 = no mem_map

    private MemMap(ulong[] encoded, ulong pagesPerSection, long pageSize)
    {
        _encoded = encoded;
        PagesPerSection = pagesPerSection;
        StructPageSize = pageSize;
        long last = Array.FindLastIndex(encoded, e => e != 0);
        EndPfn = last < 0 ? 0 : ((ulong)last + 1) * pagesPerSection;
    }

    public ulong PagesPerSection { get; }
    public long StructPageSize { get; }
    /// <summary>One past the last PFN of the last section with a mem_map (makedumpfile's max_mapnr).</summary>
    public ulong EndPfn { get; }
    public int SectionCount => _encoded.Count(e => e != 0);

    /// <summary>Kernel virtual address of the struct page of pfn, or null when its section has no mem_map.</summary>
    public ulong? StructPage(ulong pfn)
    {
        ulong nr = pfn / PagesPerSection;
        if (nr >= (ulong)_encoded.Length || _encoded[nr] == 0) return null;
        return _encoded[nr] + pfn * (ulong)StructPageSize;
    }

    /// <summary>The PFN whose struct page is at va (reverse of StructPage), or null.</summary>
    public ulong? PfnOf(ulong va)
    {
        // With SPARSEMEM_VMEMMAP every section shares one base; try each distinct base once.
        ulong lastBase = 0;
        foreach (var enc in _encoded)
        {
            if (enc == 0 || enc == lastBase) continue;
            lastBase = enc;
            if (va < enc) continue;
            ulong off = va - enc;
            if (off % (ulong)StructPageSize != 0) continue;
            ulong pfn = off / (ulong)StructPageSize;
            if (StructPage(pfn) == va) return pfn;
        }
        return null;
    }

    /// <summary>Decodes mem_section through the address space; null when VMCOREINFO lacks the keys.</summary>
    public static MemMap? TryCreate(IDumpSource source, IKernelAddressSpace aspace)
    {
        var vi = source.VmcoreInfo;
        if (vi is null) return null;
        ulong? table = vi.Symbol("mem_section");
        long? size = vi.Size("mem_section");
        long? mapOff = vi.Offset("mem_section.section_mem_map");
        long? pageSize = vi.Size("page");
        if (table is null || size is not > 0 || mapOff is null || pageSize is not > 0) return null;
        int pageShift = System.Numerics.BitOperations.Log2((uint)source.Header.PageSize);
        var defaults = Arch.Architectures.For(source.Header.Machine)?.SparseMemDefaults(vi) ?? (27, 46);
        int sectionBits = (int)(vi.Number("SECTION_SIZE_BITS") ?? defaults.SectionSizeBits);
        int physBits = (int)(vi.Number("MAX_PHYSMEM_BITS") ?? defaults.MaxPhysmemBits);
        if (sectionBits <= pageShift || physBits <= sectionBits || physBits > 64) return null;
        ulong pagesPerSection = 1UL << (sectionBits - pageShift);
        ulong nrSections = 1UL << (physBits - sectionBits);
        ulong perRoot = (ulong)source.Header.PageSize / (ulong)size.Value;
        long? length = vi.Length("mem_section");
        bool extreme = length is null || (ulong)length.Value == (nrSections + perRoot - 1) / perRoot;
        ulong scan = Math.Min(nrSections, (source.MaxPfn + pagesPerSection - 1) / pagesPerSection);
        var encoded = new ulong[scan];
        Span<byte> b = stackalloc byte[8];
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
            if ((v & SectionMarkedPresent) == 0 || (v & SectionHasMemMap) == 0) continue;
            // The low bits are flags (SECTION_MAP_LAST_BIT varies by kernel, never above 6).
            ulong enc = v & ~0x3FUL;
            if (enc < 0x8000000000000000UL) continue; // must be a kernel virtual address
            encoded[nr] = enc;
        }
        return new MemMap(encoded, pagesPerSection, pageSize.Value);
    }
}
