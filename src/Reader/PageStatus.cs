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

    /// <summary>a minus b, both ascending and coalesced.</summary>
    public static List<PfnRange> Subtract(IReadOnlyList<PfnRange> a, IReadOnlyList<PfnRange> b)
    {
        var result = new List<PfnRange>();
        int j = 0;
        foreach (var r in a)
        {
            ulong at = r.Start;
            while (j < b.Count && b[j].End <= r.Start) j++;
            for (int k = j; k < b.Count && b[k].Start < r.End; k++)
            {
                if (b[k].Start > at) result.Add(new PfnRange(at, b[k].Start));
                at = Math.Max(at, b[k].End);
            }
            if (at < r.End) result.Add(new PfnRange(at, r.End));
        }
        return result;
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
