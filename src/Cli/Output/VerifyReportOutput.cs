using System.Text.Json;
using HvDumpKit.Reader.Verify;

namespace HvDumpKit.Cli.Output;

/// <summary>`hvdump verify`'s report, as text or as JSON.</summary>
public static class VerifyReportOutput
{
    public static void WriteText(TextWriter w, string path, VerifyReport r)
    {
        w.WriteLine($"{path}: {(r.Ok ? "OK" : "FAILED")}");
        w.WriteLine($"  pages: {r.PagesRam} RAM, {r.PagesPresent} present and decoded, {r.PagesExcluded} excluded, {r.PagesMissing} " +
            $"missing, {r.PagesCorrupt} corrupt");
        if (r.FirstMissingPfn is ulong fm) w.WriteLine($"  missing pages from PFN 0x{fm:x} on");
        foreach (var (pfn, why) in r.Corrupt) w.WriteLine($"  corrupt PFN 0x{pfn:x}: {why}");
        foreach (var p in r.Problems) w.WriteLine($"  problem: {p}");
        if (!r.HasGolden) return;
        w.WriteLine($"  golden: {r.Matched} pages match, {r.Mismatched} differ, {r.ExcludedByLevel} excluded by the dump level, " +
            $"{r.NotInDump} missing, {r.Unverified} not in the " +
            $"golden{(r.BeyondMaxPfn > 0 ? $", {r.BeyondMaxPfn} beyond the dump's last PFN" : "")}");
        if (r.ExcludedByClass.Count > 0)
            w.WriteLine("  excluded by class: " + string.Join(", ",
                r.ExcludedByClass.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}")));
        foreach (var pfn in r.MismatchedPfns) w.WriteLine($"  mismatch PFN 0x{pfn:x}");
        if (!r.NotesMatch) w.WriteLine("  mismatch: ELF notes differ");
        if (!r.VmcoreInfoMatch) w.WriteLine("  mismatch: VMCOREINFO differs");
    }

    public static void WriteJson(Utf8JsonWriter w, string path, VerifyReport r)
    {
        w.WriteString("dump", path);
        w.WriteBoolean("ok", r.Ok);
        w.WriteNumber("pages_ram", r.PagesRam);
        w.WriteNumber("pages_present", r.PagesPresent);
        w.WriteNumber("pages_excluded", r.PagesExcluded);
        w.WriteNumber("pages_missing", r.PagesMissing);
        if (r.FirstMissingPfn is ulong fm) w.WriteNumber("first_missing_pfn", fm); else w.WriteNull("first_missing_pfn");
        w.WriteNumber("pages_corrupt", r.PagesCorrupt);
        w.WriteStartArray("corrupt");
        foreach (var (pfn, why) in r.Corrupt)
        {
            w.WriteStartObject(); w.WriteNumber("pfn", pfn); w.WriteString("error", why);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("problems");
        foreach (var p in r.Problems) w.WriteStringValue(p);
        w.WriteEndArray();
        if (!r.HasGolden) return;
        w.WriteStartObject("golden");
        w.WriteNumber("matched", r.Matched);
        w.WriteNumber("mismatched", r.Mismatched);
        w.WriteNumber("excluded_by_level", r.ExcludedByLevel);
        w.WriteNumber("missing", r.NotInDump);
        w.WriteNumber("unverified", r.Unverified);
        w.WriteNumber("beyond_max_pfn", r.BeyondMaxPfn);
        w.WriteBoolean("notes_match", r.NotesMatch);
        w.WriteBoolean("vmcoreinfo_match", r.VmcoreInfoMatch);
        w.WriteStartObject("excluded_by_class");
        foreach (var kv in r.ExcludedByClass.OrderBy(k => k.Key, StringComparer.Ordinal)) w.WriteNumber(kv.Key, kv.Value);
        w.WriteEndObject();
        w.WriteStartArray("mismatched_pfns");
        foreach (var p in r.MismatchedPfns) w.WriteNumberValue(p);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
