namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// Byte-addressed reads of physical memory through any IDumpSource, with a small page cache
/// (kernel structures are read a few bytes at a time). Absent bytes are reported, not invented.
/// </summary>
public sealed class PhysicalMemory
{
    private readonly IDumpSource _source;
    private readonly int _pageSize;
    // A fixed ring of page buffers, reused: page-table and list walks read a few bytes from many
    // pages, and allocating a page per miss kept the GC busy.
    private const int CacheLimit = 64;
    private readonly Dictionary<ulong, int> _cache = new(CacheLimit);
    private readonly byte[][] _slots = new byte[CacheLimit][];
    private readonly ulong[] _slotPfn = new ulong[CacheLimit];
    private readonly bool[] _slotPresent = new bool[CacheLimit];
    private int _used, _next;

    public PhysicalMemory(IDumpSource source)
    {
        _source = source;
        _pageSize = source.Header.PageSize;
    }

    public ByteOrder ByteOrder => _source.Header.ByteOrder;

    /// <summary>Fills dst from physical address pa; false when any byte is not in the dump.</summary>
    public bool TryRead(ulong pa, Span<byte> dst)
    {
        while (dst.Length > 0)
        {
            ulong pfn = pa / (ulong)_pageSize;
            int inPage = (int)(pa % (ulong)_pageSize);
            if (inPage == 0 && dst.Length >= _pageSize)
            {
                // Whole pages (struct page arrays) go straight to the caller, in one read when the source can.
                int pages = dst.Length / _pageSize;
                if (pages > 1 && _source is IBulkPageReader bulk && bulk.TryReadPages(pfn, pages, dst[..(pages * _pageSize)]))
                {
                    dst = dst[(pages * _pageSize)..];
                    pa += (ulong)(pages * _pageSize);
                    continue;
                }
                if (_source.ReadPage(pfn, dst[.._pageSize]) != PageStatus.Present) return false;
                dst = dst[_pageSize..];
                pa += (ulong)_pageSize;
                continue;
            }
            var page = Page(pfn);
            if (page is null) return false;
            int n = Math.Min(dst.Length, _pageSize - inPage);
            page.AsSpan(inPage, n).CopyTo(dst);
            dst = dst[n..];
            pa += (ulong)n;
        }
        return true;
    }

    public ulong? ReadU64(ulong pa)
    {
        Span<byte> b = stackalloc byte[8];
        return TryRead(pa, b) ? Endian.U64(b, ByteOrder) : null;
    }

    private byte[]? Page(ulong pfn)
    {
        if (_cache.TryGetValue(pfn, out int slot)) return _slotPresent[slot] ? _slots[slot] : null;
        if (_used < CacheLimit) slot = _used++;
        else
        {
            slot = _next;
            _next = (_next + 1) % CacheLimit;
            _cache.Remove(_slotPfn[slot]);
        }
        var buf = _slots[slot] ??= new byte[_pageSize];
        _slotPresent[slot] = _source.ReadPage(pfn, buf) == PageStatus.Present;
        _slotPfn[slot] = pfn;
        _cache[pfn] = slot;
        return _slotPresent[slot] ? buf : null;
    }
}
