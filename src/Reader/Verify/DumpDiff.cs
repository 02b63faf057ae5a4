namespace HvDumpKit.Reader.Verify;

/// <summary>Page-by-page comparison of two dumps of any formats, streamed, read on all cores.</summary>
public sealed class DiffReport
{
    public ulong Equal { get; set; }
    public ulong OnlyInA { get; set; }
    public ulong OnlyInB { get; set; }
    public ulong Different { get; set; }
    /// <summary>Pages past the other dump's last PFN (kdump stops at the last mem_map section): reported, not a difference.</summary>
    public ulong BeyondOtherEnd { get; set; }
    public Dictionary<string, ulong> OnlyInAWhy { get; } = new();
    public Dictionary<string, ulong> OnlyInBWhy { get; } = new();
    public List<(ulong Pfn, int Offset)> Differences { get; } = new();
    public List<(ulong Pfn, string Why)> Errors { get; } = new();
    public bool NotesEqual { get; set; }
    public List<string> VmcoreInfoDifferences { get; } = new();
    public bool Same => OnlyInA == 0 && OnlyInB == 0 && Different == 0 && Errors.Count == 0 && NotesEqual
        && VmcoreInfoDifferences.Count == 0;
}

public static class DumpDiff
{
    public static DiffReport Compare(IDumpSource a, IDumpSource b, int threads)
    {
        var r = new DiffReport { NotesEqual = a.Notes.Blob.AsSpan().SequenceEqual(b.Notes.Blob) };
        var va = a.VmcoreInfo?.Entries.ToDictionary(e => e.Key, e => e.Value) ?? new();
        var vb = b.VmcoreInfo?.Entries.ToDictionary(e => e.Key, e => e.Value) ?? new();
        foreach (var k in va.Keys.Union(vb.Keys).Order(StringComparer.Ordinal))
            if (va.GetValueOrDefault(k) != vb.GetValueOrDefault(k)) r.VmcoreInfoDifferences.Add(k);
        if (a.Header.PageSize != b.Header.PageSize)
        {
            r.Errors.Add((0, $"page sizes differ ({a.Header.PageSize} vs {b.Header.PageSize})"));
            return r;
        }
        int ps = a.Header.PageSize;
        var union = PfnRanges.Coalesce(Merge(a.PresentRanges(), b.PresentRanges()));
        int batch = (int)Math.Clamp((8L << 20) / ps, 16, 2048);
        var sa = new PageStatus[batch];
        var sb = new PageStatus[batch];
        var diffAt = new int[batch];
        var err = new string?[batch];
        using var bufs = new ThreadLocal<(byte[], byte[])>(() => (new byte[ps], new byte[ps]));
        PageBatches.Run(union, batch, overlap: false, (_, pfns, n) => PageBatches.ForEach(n, threads, i =>
            {
                var (x, y) = bufs.Value;
                err[i] = null;
                try
                {
                    sa[i] = a.ReadPage(pfns[i], x);
                    sb[i] = b.ReadPage(pfns[i], y);
                    diffAt[i] = sa[i] == PageStatus.Present
                        && sb[i] == PageStatus.Present ? (x.AsSpan().SequenceEqual(y) ? -1 : x.AsSpan().CommonPrefixLength(y)) : -1;
                }
                catch (DumpFormatException ex) { err[i] = ex.Message; }
            }),
            (_, pfns, n) =>
            {
                for (int i = 0; i < n; i++)
                {
                    if (err[i] is { } m) { if (r.Errors.Count < VerifyReport.MaxListed) r.Errors.Add((pfns[i], m)); continue; }
                    bool inA = sa[i] == PageStatus.Present, inB = sb[i] == PageStatus.Present;
                    if (inA && inB)
                    {
                        if (diffAt[i] < 0) r.Equal++;
                        else { r.Different++; if (r.Differences.Count < VerifyReport.MaxListed) r.Differences.Add((pfns[i], diffAt[i])); }
                    }
                    else if (inA && pfns[i] >= b.MaxPfn || inB && pfns[i] >= a.MaxPfn) r.BeyondOtherEnd++;
                    else if (inA) { r.OnlyInA++; Why(r.OnlyInAWhy, sb[i]); }
                    else if (inB) { r.OnlyInB++; Why(r.OnlyInBWhy, sa[i]); }
                }
            });
        return r;
    }

    private static void Why(Dictionary<string, ulong> d, PageStatus other)
    {
        string k = other switch { PageStatus.Excluded => "excluded", PageStatus.Lost => "missing", _ => "not in dump" };
        d[k] = d.GetValueOrDefault(k) + 1;
    }

    private static IEnumerable<PfnRange> Merge(IEnumerable<PfnRange> a, IEnumerable<PfnRange> b)
    {
        using var x = a.GetEnumerator();
        using var y = b.GetEnumerator();
        bool hx = x.MoveNext(), hy = y.MoveNext();
        while (hx || hy)
        {
            if (hx && (!hy || x.Current.Start <= y.Current.Start)) { yield return x.Current; hx = x.MoveNext(); }
            else { yield return y.Current; hy = y.MoveNext(); }
        }
    }
}
