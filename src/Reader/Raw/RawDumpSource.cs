using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Raw;

/// <summary>A flat physical-memory image (offset = physical address) with its OUT.json sidecar.</summary>
public sealed class RawDumpSource : IDumpSource, IBulkPageReader
{
    private readonly IRandomAccessInput _input;
    private readonly RawSidecar _meta;
    private readonly PfnRange[] _present;
    private readonly PfnRange[] _ram;

    private RawDumpSource(IRandomAccessInput input, RawSidecar meta, DumpLimits limits)
    {
        _input = input;
        _meta = meta;
        _present = meta.Present.ToArray();
        _ram = meta.Ram.ToArray();
        Header = new DumpHeader(DumpFormat.Raw, meta.Machine, meta.ByteOrder, meta.PageSize, meta.Is64Bit, meta.ElfFlags);
        Notes = NoteSet.Parse(meta.NoteBlob, meta.ByteOrder, 0, limits);
        if (Notes.VmcoreInfoNote is { } n) VmcoreInfo = VmcoreInfo.FromBytes(Notes.Desc(n));
        MaxPfn = Math.Max(_ram.Length == 0 ? 0 : _ram[^1].End, _present.Length == 0 ? 0 : _present[^1].End);
    }

    public static bool HasSidecar(string imagePath) => File.Exists(RawSidecar.PathFor(imagePath));

    public static RawDumpSource Open(IRandomAccessInput input, DumpLimits? limits = null)
    {
        limits ??= DumpLimits.Default;
        var meta = RawSidecar.Read(RawSidecar.PathFor(input.Path), limits);
        return new RawDumpSource(input, meta, limits);
    }

    public string Path => _input.Path;
    public DumpHeader Header { get; }
    public DumpFacts Facts { get; } = new() { FormatName = "raw physical-memory image" };
    public NoteSet Notes { get; }
    public VmcoreInfo? VmcoreInfo { get; }
    public ulong MaxPfn { get; }
    public int DumpLevel => _meta.DumpLevel;
    public IReadOnlyList<string> Warnings => Array.Empty<string>();
    public IEnumerable<PfnRange> RamRanges() => _ram;
    public IEnumerable<PfnRange> PresentRanges() => _present;

    private static bool In(PfnRange[] ranges, ulong pfn)
    {
        int lo = 0, hi = ranges.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ranges[mid].End <= pfn) lo = mid + 1; else hi = mid;
        }
        return lo < ranges.Length && ranges[lo].Contains(pfn);
    }

    public PageStatus ReadPage(ulong pfn, Span<byte> page)
    {
        int ps = Header.PageSize;
        page = page[..ps];
        page.Clear();
        if (!In(_present, pfn)) return In(_ram, pfn) ? PageStatus.Excluded : PageStatus.NotInDump;
        long off = (long)(pfn * (ulong)ps);
        int n = _input.ReadAt(off, page);
        return n == ps ? PageStatus.Present : PageStatus.Lost;
    }

    public bool TryReadPages(ulong pfn, int count, Span<byte> dst)
    {
        int lo = 0, hi = _present.Length;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (_present[mid].End <= pfn) lo = mid + 1; else hi = mid; }
        if (lo >= _present.Length || !_present[lo].Contains(pfn) || _present[lo].End < pfn + (ulong)count) return false;
        int want = count * Header.PageSize;
        return _input.ReadAt((long)(pfn * (ulong)Header.PageSize), dst[..want]) == want;
    }

    public void Dispose() => _input.Dispose();
}
