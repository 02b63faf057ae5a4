using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Writers.Selection;

/// <summary>
/// A source seen through a dump level: the pages the kernel model classes as cache, user or free
/// (per the level) read as excluded. Works cycle by cycle like makedumpfile's cyclic mode: one
/// byte of class per PFN of the current cycle, whatever the dump size, and exclusions that run
/// past a cycle (buddy blocks, compound pages) are carried into the next.
/// </summary>
public sealed class FilteredDumpSource : IDumpSource, IBulkPageReader, IFileRunSource
{
    public const ulong CyclePfns = 1 << 16;

    private readonly IDumpSource _inner;
    private readonly PageClassifier? _classifier;
    private readonly int _classLevel;
    private readonly List<string> _warnings;
    private readonly HashSet<ulong> _protected = new();

    public FilteredDumpSource(IDumpSource inner, int dumpLevel)
    {
        _inner = inner;
        Selection.DumpLevel.Validate(dumpLevel);
        _classLevel = dumpLevel & ~Selection.DumpLevel.Zero;
        Level = dumpLevel;
        _warnings = new List<string>(inner.Warnings);
        if (_classLevel != 0)
        {
            _classifier = PageClassifier.TryCreate(inner, _classLevel, out var why);
            if (_classifier is null)
            {
                NotClassifying = why;
                _warnings.Add($"dump level {dumpLevel}: {why}; cache, user and free pages are kept");
            }
            else
            {
                _warnings.AddRange(_classifier.Limitations.Select(l => $"dump level {dumpLevel}: {l}"));
                _protected = KernelDataPages.Find(inner);
            }
        }
    }

    /// <summary>The source seen through the dump level, or null when the level excludes no page class (zero pages are the writers'
    /// own).</summary>
    public static FilteredDumpSource? ForLevel(IDumpSource inner, int dumpLevel) =>
        (dumpLevel & ~Selection.DumpLevel.Zero) != 0 ? new FilteredDumpSource(inner, dumpLevel) : null;

    public int Level { get; }
    /// <summary>Counts of the last complete PresentRanges pass.</summary>
    public FilterStats Stats { get; private set; } = new();
    public bool Classifies => _classifier is not null;
    /// <summary>Why the page classes cannot be told apart (null when they can, or the level asks for none).</summary>
    public string? NotClassifying { get; }
    /// <summary>Pages the classes would have dropped but the safety net kept (should stay 0).</summary>
    public ulong ProtectedKept { get; private set; }

    public string Path => _inner.Path;
    public DumpHeader Header => _inner.Header;
    public DumpFacts Facts => _inner.Facts;
    public NoteSet Notes => _inner.Notes;
    public VmcoreInfo? VmcoreInfo => _inner.VmcoreInfo;
    public ulong MaxPfn => _inner.MaxPfn;
    public int DumpLevel => _inner.DumpLevel | Level;
    public IReadOnlyList<string> Warnings => _warnings;
    public IEnumerable<PfnRange> RamRanges() => _inner.RamRanges();

    /// <summary>
    /// Writers walk the present ranges several times (count, bitmap, pages). The first complete
    /// pass keeps its result when it is small (at most MaxCachedRanges runs, 16 bytes each), so
    /// later passes do not classify again; a fragmented huge dump re-classifies instead, keeping
    /// memory bounded.
    /// </summary>
    public const int MaxCachedRanges = 1 << 20;
    private List<PfnRange>? _cached;

    public IEnumerable<PfnRange> PresentRanges()
    {
        if (_classifier is null)
        {
            foreach (var r in _inner.PresentRanges()) yield return r;
            yield break;
        }
        if (_cached is not null)
        {
            foreach (var r in _cached) yield return r;
            yield break;
        }
        var collect = new List<PfnRange>();
        bool overflow = false;
        foreach (var r in Classified())
        {
            if (!overflow)
            {
                if (collect.Count < MaxCachedRanges) collect.Add(r);
                else { overflow = true; collect = new(); }
            }
            yield return r;
        }
        if (!overflow) _cached = collect;
    }

    private IEnumerable<PfnRange> Classified()
    {
        var stats = new FilterStats();
        var classes = new PageClass[CyclePfns];
        var cycles = new CycleClassification(_classifier!, _protected);
        using var present = _inner.PresentRanges().GetEnumerator();
        bool has = present.MoveNext();
        ulong max = _inner.MaxPfn;
        for (ulong cycle = 0; cycle < max && has; cycle += CyclePfns)
        {
            // Work follows present pages, not the PFN span: cycles far below the next present PFN
            // are skipped (a dump may have RAM at 0 and at 64 TiB). The cycles just before it are
            // still classified in order, so a compound page that starts there (up to a 1 GiB
            // gigantic page of 4 KiB pages) carries its class into the present ones.
            const ulong lookback = 1UL << 18;
            ulong next = present.Current.Start;
            if (next >= lookback && cycle + lookback + CyclePfns <= next)
                cycle = (next - lookback) / CyclePfns * CyclePfns;
            ulong cycleEnd = Math.Min(max, cycle + CyclePfns);
            cycles.Classify(cycle, cycleEnd, classes);
            // Kept runs: the inner present ranges minus excluded PFNs of this cycle.
            while (has && present.Current.Start < cycleEnd)
            {
                var r = present.Current;
                ulong from = Math.Max(r.Start, cycle), to = Math.Min(r.End, cycleEnd);
                ulong runStart = from;
                for (ulong p = from; p < to; p++)
                {
                    var c = classes[p - cycle];
                    if (c == PageClass.Keep) continue;
                    stats.Add(c);
                    if (p > runStart) yield return new PfnRange(runStart, p);
                    runStart = p + 1;
                }
                if (to > runStart) yield return new PfnRange(runStart, to);
                if (r.End <= cycleEnd) has = present.MoveNext();
                else break;
            }
        }
        Stats = stats;
        ProtectedKept = cycles.ProtectedKept;
    }

    /// <summary>
    /// The inner page. What is dumped is decided by PresentRanges (writers read only those); a
    /// per-PFN answer here would need the whole classification, which is kept per cycle only.
    /// </summary>
    public PageStatus ReadPage(ulong pfn, Span<byte> page) => _inner.ReadPage(pfn, page);

    /// <summary>The inner source's bulk reads (one pread per run of kept pages, not one per page), as ReadPage.</summary>
    public bool TryReadPages(ulong pfn, int count, Span<byte> dst) => _inner is IBulkPageReader b && b.TryReadPages(pfn, count, dst);

    /// <summary>The inner file's bytes, as ReadPage: PresentRanges decides which pages are copied.</summary>
    public (Microsoft.Win32.SafeHandles.SafeFileHandle File, long Offset, ulong Pages)? FileRun(ulong pfn, ulong maxPages) =>
        _inner is IFileRunSource f ? f.FileRun(pfn, maxPages) : null;

    public void Dispose() => _inner.Dispose();
}
