namespace HvDumpKit.Reader;

/// <summary>What a dump says about one page frame.</summary>
public enum PageStatus
{
    /// <summary>Bytes saved in the dump and returned.</summary>
    Present,
    /// <summary>RAM in the dumped machine, left out by the dump level (or p_filesz &lt; p_memsz).</summary>
    Excluded,
    /// <summary>Not RAM: a hole between PT_LOADs, or beyond max_mapnr.</summary>
    NotInDump,
    /// <summary>Should be there, but the dump was cut short (INCOMPLETE, descriptor offset 0, past EOF).</summary>
    Lost,
}

/// <summary>A half-open run of page frame numbers [Start, End).</summary>
public readonly record struct PfnRange(ulong Start, ulong End)
{
    public ulong Count => End - Start;
    public bool Contains(ulong pfn) => pfn >= Start && pfn < End;
}

/// <summary>Operations on ascending PFN range sequences, shared by readers, writers and verification.</summary>
public static class PfnRanges
{
    public static ulong Count(IEnumerable<PfnRange> ranges)
    {
        ulong n = 0;
        foreach (var r in ranges) n += r.Count;
        return n;
    }

    /// <summary>Every PFN of the ranges, in order.</summary>
    public static IEnumerable<ulong> Pfns(IEnumerable<PfnRange> ranges)
    {
        foreach (var r in ranges)
            for (ulong p = r.Start; p < r.End; p++) yield return p;
    }

    /// <summary>a minus b, both ascending and coalesced, as a list.</summary>
    public static List<PfnRange> Subtract(IEnumerable<PfnRange> a, IEnumerable<PfnRange> b) => Except(a, b).ToList();

    /// <summary>a minus b, both ascending and coalesced, streamed: neither side is held whole.</summary>
    public static IEnumerable<PfnRange> Except(IEnumerable<PfnRange> a, IEnumerable<PfnRange> b)
    {
        using var eb = b.GetEnumerator();
        bool hb = eb.MoveNext();
        foreach (var r in a)
        {
            ulong at = r.Start;
            while (hb && eb.Current.End <= at) hb = eb.MoveNext();
            while (hb && eb.Current.Start < r.End)
            {
                if (eb.Current.Start > at) yield return new PfnRange(at, eb.Current.Start);
                at = Math.Max(at, eb.Current.End);
                if (eb.Current.End <= r.End) hb = eb.MoveNext(); else break;
            }
            if (at < r.End) yield return new PfnRange(at, r.End);
        }
    }

    /// <summary>
    /// The parts of the ranges inside window. Walks the whole sequence: a filtered source counts
    /// page classes as it is enumerated.
    /// </summary>
    public static IEnumerable<PfnRange> Within(IEnumerable<PfnRange> ranges, PfnRange window)
    {
        foreach (var r in ranges)
        {
            ulong s = Math.Max(r.Start, window.Start), e = Math.Min(r.End, window.End);
            if (s < e) yield return new PfnRange(s, e);
        }
    }

    /// <summary>Merges adjacent or overlapping ranges of an ascending sequence.</summary>
    public static IEnumerable<PfnRange> Coalesce(IEnumerable<PfnRange> sorted)
    {
        PfnRange? cur = null;
        foreach (var r in sorted)
        {
            if (r.End <= r.Start) continue;
            if (cur is { } c && r.Start <= c.End)
                cur = new PfnRange(c.Start, Math.Max(c.End, r.End));
            else
            {
                if (cur is { } done) yield return done;
                cur = r;
            }
        }
        if (cur is { } last) yield return last;
    }
}
