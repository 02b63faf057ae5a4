using System.Text.Json;
using HvDumpKit.Cli;
using HvDumpKit.Cli.Output;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Cli.Output;

/// <summary>A conversion's summary line, its JSON and makedumpfile's --show-stats report, from counts given by hand.</summary>
public sealed class ConversionReportTests
{
    private static readonly WriteSummary Summary = new()
    {
        PagesRam = 0x40, PagesInSource = 0x30, PagesWritten = 0x20, ZeroPages = 3, CompressedPages = 0x18, RawPages = 8,
        BytesOut = 3 << 20, MaxMapnr = 0x50,
    };

    private static FilterStats Stats()
    {
        var f = new FilterStats();
        f.Add(PageClass.Cache, 2);
        f.Add(PageClass.CachePrivate, 1);
        f.Add(PageClass.User, 4);
        f.Add(PageClass.Free, 5);
        f.Add(PageClass.Keep, 100); // kept pages are not excluded ones
        return f;
    }

    private static WriterOptions Options(int level) =>
        new() { Compression = PageCompression.Zstd, CompressionLevel = 1, DumpLevel = level };

    private static string[] PrintStats(WriteSummary s, int level)
    {
        var w = new StringWriter { NewLine = "\n" };
        ConversionReport.PrintStats(s, Stats(), Options(level), w);
        return w.ToString().Split('\n');
    }

    private static (string Json, string Stderr) Report(bool json, string format, WriteSummary s, params string[] warnings)
    {
        var o = new ConvertOptions { Input = "in.elf", Output = "out.kdump", Json = json };
        var j = new StringWriter { NewLine = "\n" };
        var e = new StringWriter { NewLine = "\n" };
        ConversionReport.Report(o, format, Options(31), s, Stats(), warnings, TimeSpan.FromMilliseconds(1500), j, e);
        return (j.ToString(), e.ToString());
    }

    [Fact]
    public void PrintStats_Level31_MakedumpfilesLabelsAndHexWidths() => Assert.Equal(
    [
        "",
        "Original pages  : 0x0000000000000040",
        "  Excluded pages   : 0x000000000000000f",
        "    Pages filled with zero  : 0x0000000000000003",
        "    Non-private cache pages : 0x0000000000000002",
        "    Private cache pages     : 0x0000000000000001",
        "    User process data pages : 0x0000000000000004",
        "    Free pages              : 0x0000000000000005",
        "    Hwpoison pages          : 0x0000000000000000",
        "    Offline pages           : 0x0000000000000000",
        "  Remaining pages  : 0x0000000000000031",
        "  (The number of pages is reduced to 76%.)",
        "Memory Hole     : 0x0000000000000010",
        "--------------------------------------------------",
        "Total pages     : 0x0000000000000050",
        "Write bytes     : 3145728",
        "",
        "",
    ], PrintStats(Summary, 31));

    /// <summary>Without dump level bit 1 zero pages are written, so none count as excluded.</summary>
    [Fact]
    public void PrintStats_LevelWithoutZeroBit_NoZeroPagesExcluded()
    {
        var lines = PrintStats(Summary, 30);
        Assert.Equal("  Excluded pages   : 0x000000000000000c", lines[2]);
        Assert.Equal("    Pages filled with zero  : 0x0000000000000000", lines[3]);
    }

    /// <summary>kdump shares one page for excluded zero pages and counts them itself: that count wins over ZeroPages.</summary>
    [Fact]
    public void PrintStats_ZeroPagesExcludedCounted_ThatCountShown() =>
        Assert.Equal("    Pages filled with zero  : 0x0000000000000007", PrintStats(Summary with { ZeroPagesExcluded = 7 }, 1)[3]);

    /// <summary>An empty dump: nothing to divide by, so the report says 100% as makedumpfile does.</summary>
    [Fact]
    public void PrintStats_NoPages_HundredPercentAndNoUnderflow()
    {
        var lines = PrintStats(new WriteSummary(), 31);
        Assert.Equal("  Remaining pages  : 0x0000000000000000", lines[10]);
        Assert.Equal("  (The number of pages is reduced to 100%.)", lines[11]);
        Assert.Equal("Memory Hole     : 0x0000000000000000", lines[12]);
    }

    [Fact]
    public void Report_Text_OneSummaryLineOnStderr()
    {
        var (json, stderr) = Report(false, "kdump", Summary);
        Assert.Equal("", json);
        Assert.Equal("hvdump: wrote out.kdump (kdump, zstd, dump level 31): 32 of 48 pages (3 zero, 24 compressed, 8 raw), " +
            "3.0 MiB in 1.50 s\n", stderr);
    }

    [Fact]
    public void Report_TextLostPagesFileCopyElf_SaysLostAndCopiedAndNoCodec()
    {
        var (_, stderr) = Report(false, "elf", Summary with { LostPages = 2, CopiedFromFile = true });
        Assert.Equal("hvdump: wrote out.kdump (elf, none, dump level 31): 32 of 48 pages (copied file to file, 24 compressed, 8 raw, " +
            "2 LOST), 3.0 MiB in 1.50 s\n", stderr);
    }

    [Fact]
    public void Report_Json_CountsExcludedAndWarnings()
    {
        var (json, stderr) = Report(true, "flat", Summary, "no NUMBER(PG_slab): slab pages kept");
        Assert.Equal("", stderr);
        var j = JsonDocument.Parse(json).RootElement;
        Assert.Equal("in.elf", j.GetProperty("input").GetString());
        Assert.Equal("flat", j.GetProperty("format").GetString());
        Assert.Equal("zstd", j.GetProperty("compression").GetString());
        Assert.Equal(31, j.GetProperty("dump_level").GetInt32());
        Assert.Equal(32UL, j.GetProperty("pages_written").GetUInt64());
        Assert.Equal(3UL, j.GetProperty("zero_pages").GetUInt64());
        Assert.False(j.GetProperty("copied_from_file").GetBoolean());
        Assert.Equal(3UL, j.GetProperty("excluded").GetProperty("zero").GetUInt64());
        Assert.Equal(4UL, j.GetProperty("excluded").GetProperty("user").GetUInt64());
        Assert.Equal(5UL, j.GetProperty("excluded").GetProperty("free").GetUInt64());
        Assert.Equal("no NUMBER(PG_slab): slab pages kept", Assert.Single(j.GetProperty("warnings").EnumerateArray()).GetString());
        Assert.Equal(1.5, j.GetProperty("seconds").GetDouble());
    }

    /// <summary>A file-to-file copy never looked at page contents: its zero count is unknown (null), not 0.</summary>
    [Fact]
    public void Report_JsonCopiedFromFile_ZeroPagesNull()
    {
        var j = JsonDocument.Parse(Report(true, "raw", Summary with { CopiedFromFile = true }).Json).RootElement;
        Assert.Equal(JsonValueKind.Null, j.GetProperty("zero_pages").ValueKind);
        Assert.Equal("none", j.GetProperty("compression").GetString());
    }
}
