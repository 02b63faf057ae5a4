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

/// <summary>Coalesces an ascending sequence of PFN ranges (adjacent or overlapping merge).</summary>
public static class PfnRanges
{
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
