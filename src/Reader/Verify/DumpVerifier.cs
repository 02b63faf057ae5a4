using HvDumpKit.Reader.Kdump;
using HvDumpKit.Reader.Kernel;

namespace HvDumpKit.Reader.Verify;

/// <summary>
/// Structural integrity of any dump (every present page decodes to one page; present ⊆ RAM;
/// INCOMPLETE honoured) and, with a golden manifest, a page-by-page digest comparison that
/// tells dump-level exclusions (by class) from real mismatches.
/// </summary>
public static class DumpVerifier
{
    public static VerifyReport Verify(IDumpSource dump, int threads, Manifest? golden = null, string? goldenPath = null)
    {
        var r = new VerifyReport();
        if (dump.Facts.Incomplete) r.Problems.Add("the dump is marked INCOMPLETE (writing stopped early)");
        var ram = dump.RamRanges().ToList();
        var present = dump.PresentRanges().ToList();
        r.PagesRam = PfnRanges.Count(ram);
        if (!Subset(present, ram)) r.Problems.Add("pages are present that are not RAM (2nd bitmap not within the 1st)");
        PageScan.Run(dump, present, threads, p => Account(r, p));
        r.PagesExcluded = r.PagesRam - Math.Min(r.PagesRam, PfnRanges.Count(present));
        if (dump.Facts.Elf is { TruncatedPages: > 0 } elf)
        {
            // Counted, not walked: the program headers say how much is missing.
            r.PagesMissing += elf.TruncatedPages;
            r.PagesExcluded -= Math.Min(r.PagesExcluded, elf.TruncatedPages);
            r.FirstMissingPfn = Math.Min(r.FirstMissingPfn ?? ulong.MaxValue, elf.FirstTruncatedPfn!.Value);
            r.Problems.Add(elf.Truncation!.Message);
        }
        if (golden is not null && goldenPath is not null) Compare(dump, golden, goldenPath, present, threads, r);
        return r;
    }

    private static void Account(VerifyReport r, ScannedPage p)
    {
        switch (p.Status)
        {
            case ScanStatus.Present: r.PagesPresent++; break;
            case ScanStatus.Corrupt:
                r.PagesCorrupt++;
                if (r.Corrupt.Count < VerifyReport.MaxListed) r.Corrupt.Add((p.Pfn, p.Error ?? "corrupt"));
                break;
            default:
                r.PagesMissing++;
                r.FirstMissingPfn ??= p.Pfn;
                break;
        }
    }

    private static void Compare(IDumpSource dump, Manifest golden, string goldenPath, List<PfnRange> dumpPresent, int threads,
        VerifyReport r)
    {
        r.HasGolden = true;
        if (golden.PageSize != dump.Header.PageSize)
        {
            r.Problems.Add($"page size {dump.Header.PageSize} differs from the golden's {golden.PageSize}");
            return;
        }
        r.NotesMatch = Manifest.Hex(dump.Notes.Blob) == golden.NotesDigest;
        r.VmcoreInfoMatch = (dump.Notes.VmcoreInfoNote is { } n ? Manifest.Hex(dump.Notes.Desc(n)) : "") == golden.VmcoreInfoDigest;
        using var digests = golden.Digests(goldenPath).GetEnumerator();
        var excluded = new List<PfnRange>();
        var zeros = new List<PfnRange>();
        static void Append(List<PfnRange> l, ulong pfn)
        {
            if (l.Count > 0 && l[^1].End == pfn) l[^1] = l[^1] with { End = pfn + 1 };
            else l.Add(new PfnRange(pfn, pfn + 1));
        }
        long digestIndex = 0;
        PageScan.Run(dump, golden.Present, threads, p =>
        {
            // The digest file holds one digest per present PFN of the manifest, in order (Manifest.Digests).
            if (!digests.MoveNext() || digests.Current.Pfn != p.Pfn)
                throw new DumpFormatException(golden.DigestPath(goldenPath), Manifest.DigestHeaderSize + digestIndex * 8, "digest", null,
                    $"for pfn 0x{p.Pfn:x} is missing: the digest file does not follow the manifest's present ranges");
            digestIndex++;
            ulong want = digests.Current.Digest;
            switch (p.Status)
            {
                case ScanStatus.Present:
                    if (p.Digest == want) r.Matched++;
                    else { r.Mismatched++; if (r.MismatchedPfns.Count < VerifyReport.MaxListed) r.MismatchedPfns.Add(p.Pfn); }
                    break;
                case ScanStatus.Excluded:
                    r.ExcludedByLevel++;
                    Append(excluded, p.Pfn);
                    if (want == golden.ZeroPageDigest) Append(zeros, p.Pfn);
                    break;
                case ScanStatus.Corrupt:
                    r.Mismatched++;
                    if (r.MismatchedPfns.Count < VerifyReport.MaxListed) r.MismatchedPfns.Add(p.Pfn);
                    break;
                default:
                    // Beyond the dump's last PFN is a choice of the format (kdump stops at the last
                    // mem_map section, as makedumpfile does), not a loss.
                    if (p.Pfn >= dump.MaxPfn) r.BeyondMaxPfn++;
                    else { r.NotInDump++; r.FirstMissingPfn ??= p.Pfn; }
                    break;
            }
        });
        r.Unverified = PfnRanges.Count(PfnRanges.Subtract(dumpPresent, golden.Present));
        if (excluded.Count > 0) CountClasses(dump, excluded, zeros, r);
    }

    private static void Bump(VerifyReport r, string cls) => r.ExcludedByClass[cls] = r.ExcludedByClass.GetValueOrDefault(cls) + 1;

    /// <summary>Why the dump level dropped each page: the dump's own struct pages, classified as when filtering.</summary>
    private static void CountClasses(IDumpSource dump, List<PfnRange> excluded, List<PfnRange> zeros, VerifyReport r)
    {
        int level = (dump.DumpLevel & ~1) != 0 ? dump.DumpLevel & ~1 : 30;
        var classifier = PageClassifier.TryCreate(dump, level, out _);
        if (classifier is null)
        {
            ulong z = PfnRanges.Count(zeros);
            if (z > 0) r.ExcludedByClass["zero"] = z;
            if (PfnRanges.Count(excluded) > z) r.ExcludedByClass["unclassified"] = PfnRanges.Count(excluded) - z;
            return;
        }
        int zi = 0;
        bool IsZero(ulong p)
        {
            while (zi < zeros.Count && zeros[zi].End <= p) zi++;
            return zi < zeros.Count && zeros[zi].Contains(p);
        }
        const ulong cycle = 1 << 16;
        var classes = new PageClass[cycle];
        var cc = new CycleClassification(classifier);
        int ei = 0;
        for (ulong c = 0; c < dump.MaxPfn && ei < excluded.Count; c += cycle)
        {
            ulong end = Math.Min(dump.MaxPfn, c + cycle);
            cc.Classify(c, end, classes);
            while (ei < excluded.Count && excluded[ei].Start < end)
            {
                var e = excluded[ei];
                // makedumpfile's order: page classes first, zero pages among what they keep.
                for (ulong p = Math.Max(e.Start, c); p < Math.Min(e.End, end); p++)
                    Bump(r, classes[p - c] == PageClass.Keep && IsZero(p) ? "zero" : VerifyReport.ClassName(classes[p - c]));
                if (e.End <= end) ei++; else break;
            }
        }
    }

    private static bool Subset(List<PfnRange> inner, List<PfnRange> outer) => PfnRanges.Count(PfnRanges.Subtract(inner, outer)) == 0;
}
