namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// Classes of every PFN of one cycle, with exclusions that start before the cycle (buddy blocks,
/// compound pages) carried in: the one place both filtering and verification turn the
/// classifier's verdicts into per-PFN classes.
/// </summary>
public sealed class CycleClassification(PageClassifier classifier, ISet<ulong>? protectedPfns = null)
{
    private ulong _carryEnd;
    private PageClass _carryClass;

    /// <summary>Pages the classes would have dropped but the safety net kept.</summary>
    public ulong ProtectedKept { get; private set; }

    /// <summary>Fills classes[0 .. end-start) for [start, end); call with ascending, adjacent cycles.</summary>
    public void Classify(ulong start, ulong end, PageClass[] classes)
    {
        Array.Clear(classes, 0, (int)(end - start));
        if (_carryEnd > start)
            classes.AsSpan(0, (int)(Math.Min(_carryEnd, end) - start)).Fill(_carryClass);
        classifier.Classify(start, end, (pfn, count, cls) =>
        {
            ulong stop = pfn + count;
            for (ulong p = Math.Max(pfn, start); p < Math.Min(stop, end); p++)
            {
                if (classes[p - start] != PageClass.Keep) continue;
                // Safety net: kernel data that SYMBOL()s, page tables and mem_section live in stays.
                if (protectedPfns is not null && protectedPfns.Contains(p)) { ProtectedKept++; continue; }
                classes[p - start] = cls;
            }
            if (stop > end && stop > _carryEnd) { _carryEnd = stop; _carryClass = cls; }
        });
    }
}
