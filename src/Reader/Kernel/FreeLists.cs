using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// Free pages from the zone free lists (filtering.md §5), makedumpfile's fallback when the kernel
/// publishes no buddy page type. Every list is walked with a step bound (no more elements than
/// PFNs in the dump) and a prev-pointer check, so a corrupt or looping list ends with a warning.
/// </summary>
public sealed class FreeLists
{
    private readonly KernelMemory _mem;
    private readonly MemMap _memMap;
    private readonly VmcoreInfo _vi;
    private readonly List<ulong> _pgdats = new();
    private readonly long _sizeZone, _oZones, _oNrZones, _oFreeArea, _oSpanned, _sizeFreeArea, _oFreeList, _sizeListHead, _oNext, _oPrev,
        _oLru;
    private readonly int _orders, _migrateTypes;
    private readonly ulong _maxSteps;

    private FreeLists(KernelMemory mem, MemMap memMap, VmcoreInfo vi, ulong maxPfn)
    {
        _mem = mem;
        _memMap = memMap;
        _vi = vi;
        _sizeZone = vi.Size("zone")!.Value;
        _oZones = vi.Offset("pglist_data.node_zones")!.Value;
        _oNrZones = vi.Offset("pglist_data.nr_zones")!.Value;
        _oFreeArea = vi.Offset("zone.free_area")!.Value;
        _oSpanned = vi.Offset("zone.spanned_pages")!.Value;
        _sizeFreeArea = vi.Size("free_area")!.Value;
        _oFreeList = vi.Offset("free_area.free_list")!.Value;
        _sizeListHead = vi.Size("list_head")!.Value;
        _oNext = vi.Offset("list_head.next")!.Value;
        _oPrev = vi.Offset("list_head.prev")!.Value;
        _oLru = vi.Offset("page.lru")!.Value;
        _orders = (int)vi.Length("zone.free_area")!.Value;
        _migrateTypes = (int)(vi.Length("free_area.free_list") ?? 1);
        _maxSteps = maxPfn + 1;
    }

    public IReadOnlyList<string> Warnings => _warnings;
    private readonly List<string> _warnings = new();

    public static readonly string[] RequiredKeys =
    [
        "SIZE(zone)", "OFFSET(pglist_data.node_zones)", "OFFSET(pglist_data.nr_zones)", "OFFSET(zone.free_area)",
        "OFFSET(zone.spanned_pages)", "SIZE(free_area)", "OFFSET(free_area.free_list)", "SIZE(list_head)",
        "OFFSET(list_head.next)", "OFFSET(list_head.prev)", "OFFSET(page.lru)", "LENGTH(zone.free_area)",
    ];

    public static FreeLists? TryCreate(IDumpSource source, KernelMemory mem, MemMap memMap, out string? why)
    {
        why = null;
        var vi = source.VmcoreInfo!;
        var missing = RequiredKeys.Where(k => vi[k] is null).ToList();
        if (missing.Count > 0) { why = $"the free-list keys {string.Join(", ", missing)} are missing"; return null; }
        var f = new FreeLists(mem, memMap, vi, source.MaxPfn);
        if (!f.FindNodes(out why)) return null;
        return f;
    }

    private bool FindNodes(out string? why)
    {
        why = null;
        if (_vi.Symbol("node_data") is ulong nd)
        {
            long len = _vi.Length("node_data") ?? 1;
            ulong? online = _vi.Symbol("node_online_map");
            long maskBytes = _vi.Size("nodemask_t") ?? 8;
            Span<byte> b = stackalloc byte[1];
            for (long n = 0; n < Math.Min(len, 1 << 16); n++)
            {
                if (online is ulong om && n / 8 < maskBytes)
                {
                    if (_mem.TryRead(om + (ulong)(n / 8), b) && (b[0] & (1 << (int)(n % 8))) == 0) continue;
                }
                if (_mem.U64(nd + (ulong)n * 8) is ulong p && p != 0) _pgdats.Add(p);
            }
        }
        else if (_vi.Symbol("contig_page_data") is ulong cpd) _pgdats.Add(cpd);
        if (_pgdats.Count == 0) { why = "neither SYMBOL(node_data) nor SYMBOL(contig_page_data) gives a node"; return false; }
        return true;
    }

    /// <summary>Reports every free block (first PFN, order) that intersects [start, end).</summary>
    public void Walk(ulong start, ulong end, Action<ulong, int> freeBlock)
    {
        foreach (var pgdat in _pgdats)
        {
            uint? nrZones = _mem.U32(pgdat + (ulong)_oNrZones);
            if (nrZones is null or > 8) { Warn($"pglist_data at 0x{pgdat:x}: nr_zones unreadable"); continue; }
            for (uint z = 0; z < nrZones; z++)
            {
                ulong zone = pgdat + (ulong)_oZones + z * (ulong)_sizeZone;
                if (_mem.U64(zone + (ulong)_oSpanned) is not ulong spanned || spanned == 0) continue;
                for (int order = 0; order < _orders; order++)
                    for (int mt = 0; mt < _migrateTypes; mt++)
                    {
                        ulong head = zone + (ulong)_oFreeArea + (ulong)order * (ulong)_sizeFreeArea + (ulong)_oFreeList
                            + (ulong)mt * (ulong)_sizeListHead;
                        WalkList(head, order, start, end, freeBlock);
                    }
            }
        }
    }

    private void WalkList(ulong head, int order, ulong start, ulong end, Action<ulong, int> freeBlock)
    {
        ulong prev = head;
        ulong? cur = _mem.U64(head + (ulong)_oNext);
        for (ulong steps = 0; cur is ulong c && c != head; steps++)
        {
            if (steps > _maxSteps) { Warn($"free list at 0x{head:x} loops; stopped"); return; }
            if (_mem.U64(c + (ulong)_oPrev) != prev) { Warn($"free list at 0x{head:x} is broken at 0x{c:x}"); return; }
            if (PfnOf(c - (ulong)_oLru) is ulong pfn)
            {
                ulong blockEnd = pfn + (1UL << order);
                if (blockEnd > start && pfn < end) freeBlock(pfn, order);
            }
            prev = c;
            cur = _mem.U64(c + (ulong)_oNext);
        }
        if (cur is null) Warn($"free list at 0x{head:x} leaves the dump");
    }

    private ulong? PfnOf(ulong structPage) => _memMap.PfnOf(structPage);

    private void Warn(string w)
    {
        if (_warnings.Count < 20 && !_warnings.Contains(w)) _warnings.Add(w);
    }
}
