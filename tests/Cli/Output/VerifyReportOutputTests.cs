using System.Text.Json;
using HvDumpKit.Cli;
using HvDumpKit.Cli.Output;
using HvDumpKit.Reader.Verify;
using Xunit;

namespace HvDumpKit.Tests.Cli.Output;

/// <summary>`hvdump verify`'s report from a VerifyReport filled by hand: every line and JSON field it can print.</summary>
public sealed class VerifyReportOutputTests
{
    private static VerifyReport Clean() => new() { PagesRam = 64, PagesPresent = 48, PagesExcluded = 16 };

    private static VerifyReport Failed()
    {
        var r = new VerifyReport
        {
            PagesRam = 64, PagesPresent = 40, PagesExcluded = 16, PagesMissing = 6, FirstMissingPfn = 0x3a, PagesCorrupt = 2,
            HasGolden = true, Matched = 30, Mismatched = 1, ExcludedByLevel = 5, NotInDump = 6, Unverified = 3, BeyondMaxPfn = 4,
            NotesMatch = false, VmcoreInfoMatch = false,
        };
        r.Corrupt.Add((0x11, "zstd: bad frame"));
        r.Corrupt.Add((0x12, "short page"));
        r.Problems.Add("header: max_mapnr below the last PFN");
        r.MismatchedPfns.Add(0x20);
        r.ExcludedByClass["user"] = 2;
        r.ExcludedByClass["cache"] = 3;
        return r;
    }

    private static string[] Text(VerifyReport r)
    {
        var w = new StringWriter { NewLine = "\n" };
        VerifyReportOutput.WriteText(w, "d.kdump", r);
        return w.ToString().TrimEnd('\n').Split('\n');
    }

    private static JsonElement Json(VerifyReport r) =>
        JsonDocument.Parse(JsonText.Object(w => VerifyReportOutput.WriteJson(w, "d.kdump", r))).RootElement;

    [Fact]
    public void WriteText_CleanWithoutGolden_TwoLines() =>
        Assert.Equal(["d.kdump: OK", "  pages: 64 RAM, 48 present and decoded, 16 excluded, 0 missing, 0 corrupt"], Text(Clean()));

    [Fact]
    public void WriteText_Failed_EveryFindingInOrder() => Assert.Equal(
    [
        "d.kdump: FAILED",
        "  pages: 64 RAM, 40 present and decoded, 16 excluded, 6 missing, 2 corrupt",
        "  missing pages from PFN 0x3a on",
        "  corrupt PFN 0x11: zstd: bad frame",
        "  corrupt PFN 0x12: short page",
        "  problem: header: max_mapnr below the last PFN",
        "  golden: 30 pages match, 1 differ, 5 excluded by the dump level, 6 missing, 3 not in the golden, 4 beyond the dump's last PFN",
        "  excluded by class: cache 3, user 2",
        "  mismatch PFN 0x20",
        "  mismatch: ELF notes differ",
        "  mismatch: VMCOREINFO differs",
    ], Text(Failed()));

    [Fact]
    public void WriteText_GoldenWithinMaxPfn_NoBeyondClause()
    {
        var r = Clean();
        r.HasGolden = true;
        r.Matched = 48;
        Assert.Equal("  golden: 48 pages match, 0 differ, 0 excluded by the dump level, 0 missing, 0 not in the golden", Text(r)[^1]);
    }

    [Fact]
    public void WriteJson_Clean_NullFirstMissingAndNoGolden()
    {
        var j = Json(Clean());
        Assert.Equal("d.kdump", j.GetProperty("dump").GetString());
        Assert.True(j.GetProperty("ok").GetBoolean());
        Assert.Equal(48UL, j.GetProperty("pages_present").GetUInt64());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("first_missing_pfn").ValueKind);
        Assert.Equal(0, j.GetProperty("corrupt").GetArrayLength());
        Assert.False(j.TryGetProperty("golden", out _));
    }

    [Fact]
    public void WriteJson_Failed_EveryField()
    {
        var j = Json(Failed());
        Assert.False(j.GetProperty("ok").GetBoolean());
        Assert.Equal(6UL, j.GetProperty("pages_missing").GetUInt64());
        Assert.Equal(0x3aUL, j.GetProperty("first_missing_pfn").GetUInt64());
        Assert.Equal(2UL, j.GetProperty("pages_corrupt").GetUInt64());
        var corrupt = j.GetProperty("corrupt")[1];
        Assert.Equal(0x12UL, corrupt.GetProperty("pfn").GetUInt64());
        Assert.Equal("short page", corrupt.GetProperty("error").GetString());
        Assert.Equal("header: max_mapnr below the last PFN", j.GetProperty("problems")[0].GetString());
        var g = j.GetProperty("golden");
        Assert.Equal(30UL, g.GetProperty("matched").GetUInt64());
        Assert.Equal(1UL, g.GetProperty("mismatched").GetUInt64());
        Assert.Equal(5UL, g.GetProperty("excluded_by_level").GetUInt64());
        Assert.Equal(6UL, g.GetProperty("missing").GetUInt64());
        Assert.Equal(3UL, g.GetProperty("unverified").GetUInt64());
        Assert.Equal(4UL, g.GetProperty("beyond_max_pfn").GetUInt64());
        Assert.False(g.GetProperty("notes_match").GetBoolean());
        Assert.False(g.GetProperty("vmcoreinfo_match").GetBoolean());
        Assert.Equal(["cache", "user"], g.GetProperty("excluded_by_class").EnumerateObject().Select(p => p.Name));
        Assert.Equal(3UL, g.GetProperty("excluded_by_class").GetProperty("cache").GetUInt64());
        Assert.Equal([0x20UL], g.GetProperty("mismatched_pfns").EnumerateArray().Select(p => p.GetUInt64()));
    }
}
