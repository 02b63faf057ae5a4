namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// The pages filtering must never drop (the safety net of the filtering issue): what every
/// VMCOREINFO SYMBOL() points at, the page tables that translate them, and the mem_section
/// table. A small set — a few hundred PFNs — whatever the dump size.
/// </summary>
public static class KernelDataPages
{
    public static HashSet<ulong> Find(IDumpSource source)
    {
        var set = new HashSet<ulong>();
        var vi = source.VmcoreInfo;
        var aspace = KernelAddressSpace.TryCreate(source);
        if (vi is null || aspace is null) return set;
        ulong ps = (ulong)source.Header.PageSize;
        var visited = new List<ulong>();
        void Add(ulong va)
        {
            visited.Clear();
            ulong? pa = aspace.Translate(va, visited);
            if (pa is ulong p) set.Add(p / ps);
            foreach (var t in visited) set.Add(t / ps);
        }
        foreach (var key in vi.Symbols)
            if (VmcoreInfoSymbol(vi, key) is ulong va) Add(va);
        // The mem_section root array and the section arrays it points to.
        if (vi.Symbol("mem_section") is ulong ms && vi.Length("mem_section") is long roots and > 0 and < 1 << 20)
        {
            Span<byte> b = stackalloc byte[8];
            for (long i = 0; i < roots; i++)
            {
                Add(ms + (ulong)i * 8);
                if (aspace.TryReadVirtual(ms + (ulong)i * 8, b)
                    && Endian.U64(b, source.Header.ByteOrder) is ulong root and not 0) Add(root);
            }
        }
        return set;
    }

    private static ulong? VmcoreInfoSymbol(Notes.VmcoreInfo vi, string key) =>
        key.StartsWith("SYMBOL(", StringComparison.Ordinal) && key.EndsWith(')') ? vi.Symbol(key[7..^1]) : null;

    /// <summary>
    /// SYMBOL() entries whose page cannot be read from a dump (after filtering: the safety check) but can from
    /// <paramref name="source"/>, the dump it was made from. Not every SYMBOL() is an object in RAM: arm64's
    /// SYMBOL(vmemmap) is the base the kernel indexes by PFN, the struct page of PFN 0, which is not memory
    /// when RAM starts at PHYS_OFFSET — a symbol the source cannot read either is no loss.
    /// </summary>
    public static List<string> UnreadableSymbols(IDumpSource dump, IDumpSource? source = null)
    {
        var bad = new List<string>();
        var vi = dump.VmcoreInfo;
        var mem = KernelMemory.TryCreate(dump, out _);
        if (vi is null || mem is null) return bad;
        var original = source is null ? null : KernelMemory.TryCreate(source, out _);
        Span<byte> b = stackalloc byte[8];
        foreach (var key in vi.Symbols)
        {
            if (VmcoreInfoSymbol(vi, key) is not ulong va) continue;
            if (!mem.TryRead(va, b) && (original is null || original.TryRead(va, b))) bad.Add(key);
        }
        return bad;
    }
}
