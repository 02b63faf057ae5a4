using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// Decides each page's class from its struct page, with every constant taken from VMCOREINFO
/// (filtering.md §4): makedumpfile's decision chain, buddy and page-type encodings of 4.x–6.16,
/// and 7.x's tail word page.compound_info.
/// Nothing is guessed: when the keys a class needs are missing, pages of that class are kept and
/// Limitations says why.
/// </summary>
public sealed class PageClassifier
{
    private const int Batch = 512; // struct pages read at once, as makedumpfile

    private readonly IDumpSource _source;
    private readonly IKernelAddressSpace _aspace;
    private readonly ByteOrder _order;
    private readonly int _level;
    private readonly long _sizePage, _offFlags, _offMapping;
    private readonly long? _offMapcount, _offPrivate, _offCompoundHead;
    private readonly int? _pgLru, _pgPrivate, _pgSwapcache, _pgSwapbacked, _pgSlab, _pgHwpoison, _pgHugetlb;
    private readonly ulong _headMask;
    private readonly uint? _slabType, _buddyType, _offlineType, _unacceptedType, _hugetlbType;
    private readonly long? _hugetlbDtor, _offCompoundOrder, _offCompoundDtor, _offFolioOrder, _offFolioDtor;
    private readonly int _freeAreaLength;
    private readonly List<string> _limitations = new();
    private readonly byte[] _buffer;
    private readonly FreeLists? _freeLists;

    private PageClassifier(IDumpSource source, IKernelAddressSpace aspace, MemMap memMap, int level)
    {
        _source = source;
        _aspace = aspace;
        MemMap = memMap;
        _order = source.Header.ByteOrder;
        _level = level;
        var vi = source.VmcoreInfo!;
        _sizePage = vi.Size("page")!.Value;
        _offFlags = vi.Offset("page.flags")!.Value;
        _offMapping = vi.Offset("page.mapping")!.Value;
        // Offsets from an untrusted VMCOREINFO: one outside struct page is treated as absent.
        long? Within(long? off, int width, long from = 0) => off is long o && o >= from && o + width <= from + _sizePage ? o : null;
        _offMapcount = Within(vi.Offset("page._mapcount"), 4);
        _offPrivate = Within(vi.Offset("page.private"), 8);
        // The tail word: Linux 7.x renamed page.compound_head to page.compound_info when it let the word hold a
        // mask instead of a head pointer; bit 0 marks a tail in both encodings, which is all Decide reads.
        _offCompoundHead = Within(vi.Offset("page.compound_head"), 8) ?? Within(vi.Offset("page.compound_info"), 8);
        int? N(string n) => vi.Number(n) is long v ? (int)v : null;
        uint? T(string n) => vi.Number(n) is long v ? unchecked((uint)v) : null; // page types compare as 32 bits
        _pgLru = N("PG_lru");
        _pgPrivate = N("PG_private");
        _pgSwapcache = N("PG_swapcache");
        _pgSwapbacked = N("PG_swapbacked");
        _pgSlab = N("PG_slab");
        _pgHwpoison = N("PG_hwpoison");
        _pgHugetlb = N("PG_hugetlb");
        _headMask = vi.Number("PG_head_mask") is long hm ? unchecked((ulong)hm) : 0;
        _slabType = T("PAGE_SLAB_MAPCOUNT_VALUE");
        _buddyType = T("PAGE_BUDDY_MAPCOUNT_VALUE");
        _offlineType = T("PAGE_OFFLINE_MAPCOUNT_VALUE");
        _unacceptedType = T("PAGE_UNACCEPTED_MAPCOUNT_VALUE");
        _hugetlbType = T("PAGE_HUGETLB_MAPCOUNT_VALUE");
        _hugetlbDtor = vi.Number("HUGETLB_PAGE_DTOR");
        _offCompoundOrder = Within(vi.Offset("page.compound_order"), 1);
        _offCompoundDtor = Within(vi.Offset("page.compound_dtor"), 1);
        // folio fields live in the second struct page of the folio.
        _offFolioOrder = Within(vi.Offset("folio._folio_order"), 1, _sizePage);
        _offFolioDtor = Within(vi.Offset("folio._folio_dtor"), 1, _sizePage);
        _freeAreaLength = (int)(vi.Length("zone.free_area") ?? 11);
        _buffer = new byte[(Batch + 1) * _sizePage];

        if ((level & (2 | 4)) != 0 && (_pgLru is null || (_pgPrivate is null && (level & 2) != 0)))
            _limitations.Add("NUMBER(PG_lru)/NUMBER(PG_private) missing: cache pages are kept");
        if ((level & 8) != 0 && _pgSlab is null && _slabType is null)
            _limitations.Add("neither NUMBER(PG_slab) nor NUMBER(PAGE_SLAB_MAPCOUNT_VALUE): slab pages cannot be told from user pages, " +
                "so user pages are kept");
        if (_offCompoundHead is null)
        {
            // Without the tail word a tail page is judged by its own struct page, whose words the kernel reuses for
            // folio metadata (order in flags, mapcounts over mapping): rules reading them could drop a tail of a kept
            // head (a slab's page[1] as user data). Free pages stay: page types are set on heads and order-0 pages only.
            var off = NoTailRules(level);
            if (off.Length > 0)
                _limitations.Add("neither OFFSET(page.compound_head) nor OFFSET(page.compound_info): tail pages cannot be told, " +
                    $"so the {string.Join(", ", off)} rule{(off.Length > 1 ? "s are" : " is")} off and those pages are kept");
        }
        if ((level & 16) != 0 && !HasBuddyTest)
        {
            // makedumpfile's fallback: walk the zone free lists.
            var km = KernelMemory.TryCreate(source, out _);
            _freeLists = km is null ? null : FreeLists.TryCreate(source, km, memMap, out var why) ?? null;
            if (_freeLists is null)
                _limitations.Add("NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE) or OFFSET(page._mapcount)/OFFSET(page.private) missing, " +
                    "and the zone free lists cannot be walked: free pages are kept");
            else
                _limitations.Add("no buddy page type in VMCOREINFO: free pages taken from the zone free lists");
        }
    }

    public MemMap MemMap { get; }
    public IReadOnlyList<string> Limitations => _freeLists is null ? _limitations : [.. _limitations, .. _freeLists.Warnings];
    private bool HasBuddyTest => _buddyType is not null && _offMapcount is not null && _offPrivate is not null;
    private bool CanUser => _pgSlab is not null || _slabType is not null;
    private bool CanJudgeOwnFields => _offCompoundHead is not null;

    /// <summary>The rules this level would apply that read a page's own flags, mapping or mapcount (all but free).</summary>
    private string[] NoTailRules(int level)
    {
        var rules = new List<string>();
        if ((level & (2 | 4)) != 0 && _pgLru is not null) rules.Add("cache");
        if ((level & 8) != 0 && CanUser) rules.Add("user");
        if (_pgHwpoison is not null) rules.Add("hwpoison");
        if (_offlineType is not null) rules.Add("offline");
        return [.. rules];
    }

    /// <summary>Null (with a reason) when the dump lacks what page classes need.</summary>
    public static PageClassifier? TryCreate(IDumpSource source, int level, out string? why)
    {
        why = null;
        var vi = source.VmcoreInfo;
        if (vi is null) { why = "the dump has no VMCOREINFO"; return null; }
        var aspace = KernelAddressSpace.TryCreate(source, out why);
        if (aspace is null) return null;
        foreach (var key in new[] { "SIZE(page)", "OFFSET(page.flags)", "OFFSET(page.mapping)" })
            if (vi[key] is null) { why = $"VMCOREINFO lacks {key}"; return null; }
        if (vi.Size("page") is not long sizePage || sizePage < 16 || sizePage > 4096)
        { why = $"VMCOREINFO's SIZE(page)={vi["SIZE(page)"]} is not a plausible struct page size"; return null; }
        foreach (var member in new[] { "page.flags", "page.mapping" })
            if (vi.Offset(member) is not long off || off < 0 || off + 8 > sizePage)
            { why = $"VMCOREINFO's OFFSET({member})={vi[$"OFFSET({member})"]} lies outside struct page"; return null; }
        var map = MemMap.TryCreate(source, aspace);
        if (map is null || map.SectionCount == 0) { why = "mem_section cannot be read from the dump"; return null; }
        if (UnreadableStructPages(source, aspace, map, sizePage) is { } unreadable) { why = unreadable; return null; }
        return new PageClassifier(source, aspace, map, level);
    }

    /// <summary>
    /// Why no struct page reads, sampling the first PFN of each present range: then every page
    /// would be kept as unreadable, and the "filtered" output would be the whole dump (6.6+ radix
    /// vmemmap read through an empty vmemmap_list did exactly that). Null when one reads.
    /// </summary>
    private static string? UnreadableStructPages(IDumpSource source, IKernelAddressSpace aspace, MemMap map, long sizePage)
    {
        var buf = new byte[sizePage];
        string? first = null;
        foreach (var r in source.PresentRanges().Take(64))
        {
            if (map.StructPage(r.Start) is not ulong va) continue;
            if (aspace.TryReadVirtual(va, buf)) return null;
            first ??= $"the struct pages do not read from the dump (PFN 0x{r.Start:x}'s at 0x{va:x} does not translate or is not in it)";
        }
        return first;
    }

    private ulong U64(ReadOnlySpan<byte> b, long at) => Endian.U64(b[(int)at..], _order);
    private uint U32(ReadOnlySpan<byte> b, long at) => Endian.U32(b[(int)at..], _order);
    private bool Bit(ulong flags, int? bit) => bit is int b && (flags & (1UL << b)) != 0;

    /// <summary>
    /// Classifies [start, end) and reports each exclusion (first PFN, page count, class); a count
    /// may run past end (a buddy block or compound page crossing the cycle) — the caller carries it.
    /// </summary>
    public void Classify(ulong start, ulong end, Action<ulong, ulong, PageClass> exclude)
    {
        // Free blocks from the lists come first, as makedumpfile's exclude_free_page runs before the page scan.
        _freeLists?.Walk(start, end, (pfn, order) => exclude(pfn, 1UL << order, PageClass.Free));
        ulong pfn = start;
        while (pfn < end)
        {
            ulong? first = MemMap.StructPage(pfn);
            if (first is null) { pfn = (pfn / MemMap.PagesPerSection + 1) * MemMap.PagesPerSection; continue; }
            // One batch stays within a section (its struct pages are contiguous virtual memory).
            ulong sectionEnd = (pfn / MemMap.PagesPerSection + 1) * MemMap.PagesPerSection;
            int n = (int)Math.Min((ulong)Batch, Math.Min(end, sectionEnd) - pfn);
            // Read one extra struct page: a head's first tail page holds the compound order.
            int readPages = n + (pfn + (ulong)n < sectionEnd ? 1 : 0);
            var buf = _buffer.AsSpan(0, (int)(readPages * _sizePage));
            if (!_aspace.TryReadVirtual(first.Value, buf))
            {
                // Struct pages not in the dump: keep these pages (never exclude on a guess).
                ReadPiecewise(first.Value, buf);
            }
            for (int i = 0; i < n; i++)
            {
                var page = buf.Slice((int)(i * _sizePage), (int)_sizePage);
                if (page.IndexOfAnyExcept((byte)0xFF) < 0) continue; // unreadable struct page marker
                var next = i + 1 < readPages ? buf.Slice((int)((i + 1) * _sizePage), (int)_sizePage) : default;
                var (count, cls) = Decide(pfn + (ulong)i, page, next);
                if (cls != PageClass.Keep) exclude(pfn + (ulong)i, count, cls);
            }
            pfn += (ulong)n;
        }
    }

    /// <summary>Reads struct pages one by one where the batch crossed an unmapped page; unreadable ones are 0xFF-filled.</summary>
    private void ReadPiecewise(ulong va, Span<byte> buf)
    {
        for (int at = 0; at < buf.Length; at += (int)_sizePage)
        {
            var s = buf.Slice(at, (int)Math.Min(_sizePage, buf.Length - at));
            if (!_aspace.TryReadVirtual(va + (ulong)at, s)) s.Fill(0xFF);
        }
    }

    private (ulong Count, PageClass Class) Decide(ulong pfn, ReadOnlySpan<byte> page, ReadOnlySpan<byte> next)
    {
        if (_offCompoundHead is long ch && (U64(page, ch) & 1) != 0) return (0, PageClass.Keep); // tail page
        ulong flags = U64(page, _offFlags);
        ulong mapping = U64(page, _offMapping);
        uint mapcount = _offMapcount is long mc ? U32(page, mc) : 0xFFFFFFFF;
        ulong priv = _offPrivate is long pv ? U64(page, pv) : 0;
        bool isSlab = _slabType is uint st ? mapcount == st : Bit(flags, _pgSlab);
        bool isAnon = (mapping & 1) != 0 && !isSlab;
        bool isPrivate = Bit(flags, _pgPrivate);
        bool isLru = Bit(flags, _pgLru);
        bool isCache = isLru || (Bit(flags, _pgSwapcache) && (_pgSwapbacked is null || Bit(flags, _pgSwapbacked)));

        int order = 0;
        bool hugetlb = false;
        if (_headMask != 0 && (flags & _headMask) != 0 && !next.IsEmpty)
            (order, hugetlb) = Compound(page, next, mapcount);
        if (order >= 64 || (order > 0 && pfn % (1UL << order) != 0)) order = 0;
        ulong span = 1UL << order;

        if ((_level & 16) != 0 && HasBuddyTest && !isSlab && mapcount == _buddyType)
        {
            if (priv < (ulong)_freeAreaLength) return (1UL << (int)priv, PageClass.Free);
            return (0, PageClass.Keep);
        }
        if ((_level & 16) != 0 && _unacceptedType is uint ua && mapcount == ua)
            return (1UL << (_freeAreaLength - 1), PageClass.Free);
        if (!CanJudgeOwnFields) return (0, PageClass.Keep); // maybe a tail: see NoTailRules
        if ((_level & 2) != 0 && _pgLru is not null && isCache && !isPrivate && !isAnon)
            return (span, PageClass.Cache);
        if ((_level & 4) != 0 && _pgLru is not null && isCache && !isAnon)
            return (span, isPrivate ? PageClass.CachePrivate : PageClass.Cache);
        if ((_level & 8) != 0 && CanUser && (isAnon || hugetlb))
            return (span, PageClass.User);
        if (_pgHwpoison is not null && Bit(flags, _pgHwpoison))
            return (span, PageClass.HwPoison);
        if (_offlineType is uint ot && !isSlab && mapcount == ot)
            return (span, PageClass.Offline);
        return (0, PageClass.Keep);
    }

    /// <summary>Compound order and hugetlb test by kernel generation (filtering.md §4.1).</summary>
    private (int Order, bool Hugetlb) Compound(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, uint headMapcount)
    {
        ulong tailFlags = U64(tail, _offFlags);
        if (_hugetlbType is uint ht) return ((int)(tailFlags & 0xFF), headMapcount == ht);                 // 6.9+
        if (_pgHugetlb is int hb) return ((int)(tailFlags & 0xFF), (tailFlags & (1UL << hb)) != 0);        // 6.6–6.8
        if (_offFolioOrder is long fo && _offFolioDtor is long fd)                                          // 6.3–6.5
        {
            int order = tail[(int)(fo - _sizePage)];
            return (order, _hugetlbDtor is long d && tail[(int)(fd - _sizePage)] == d);
        }
        if (_offCompoundOrder is long co && _offCompoundDtor is long cd)                                   // 4.4–6.2
        {
            int order = tail[(int)co];
            return (order, _hugetlbDtor is long d && tail[(int)cd] == d);
        }
        return (0, false);
    }
}
