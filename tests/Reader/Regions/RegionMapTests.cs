using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Regions;

public sealed class RegionMapTests
{
    private const string DesignExample =
        "CPU:0x177fee000-0x10000: HPTE:0x177ffe020-0x1000: DUMP:0x177fff020-0x10000000, 0x10000000-0x16F1D370A";

    [Fact]
    public void Parse_DesignDocumentExample_GivesExactPairsAsAddressAndLength()
    {
        var map = RegionMap.Parse(DesignExample);
        Assert.Equal("release_region", map.Format);
        Assert.Equal(4, map.Regions.Count);
        Assert.Equal((RegionKind.Cpu, 0x177fee000UL, 0x10000UL), (map.Regions[0].Kind, map.Regions[0].Address, map.Regions[0].Size));
        Assert.Equal((RegionKind.Hpte, 0x177ffe020UL, 0x1000UL), (map.Regions[1].Kind, map.Regions[1].Address, map.Regions[1].Size));
        Assert.Equal((RegionKind.Dump, 0x177fff020UL, 0x10000000UL), (map.Regions[2].Kind, map.Regions[2].Address, map.Regions[2].Size));
        Assert.Equal((RegionKind.Dump, 0x10000000UL, 0x16F1D370AUL), (map.Regions[3].Kind, map.Regions[3].Address, map.Regions[3].Size));
        Assert.Equal(0UL, map.Regions[2].SourceAddress); // the copy of the real-mode region
        // The example overlaps itself (DUMP 2 runs over CPU, HPTE and DUMP 1) and is not page aligned.
        Assert.Contains(map.Warnings, w => w.Contains("overlaps") && w.Contains("CPU"));
        Assert.Contains(map.Warnings, w => w.Contains("not page aligned") && w.Contains("177ffe020"));
    }

    [Fact]
    public void Parse_TrailingColonAndNewline_Accepted()
    {
        var map = RegionMap.Parse("CPU:0x1000-0x1000: HPTE:0x2000-0x1000: DUMP:0x3000-0x1000, 0x10000-0x1000:\n");
        Assert.Equal(4, map.Regions.Count);
        Assert.Empty(map.Warnings);
    }

    [Theory]
    [InlineData("CPU:0x177fee000-0x10000: HPTE:0x177ffe020+0x1000:", 42)]
    [InlineData("CPU:0x177fee000-: HPTE:0x1-0x1:", 17)]
    [InlineData("CPX:0x1-0x1:", 1)]
    [InlineData("CPU:zz-0x1:", 5)]
    [InlineData("", 1)]
    public void Parse_Malformed_NamesTheColumn(string text, int column)
    {
        var ex = Assert.Throws<DumpFormatException>(() => RegionMap.Parse(text));
        Assert.Contains($"column {column})", ex.Message);
        Assert.Equal(column - 1, ex.Offset);
    }

    [Fact]
    public void ParseFile_AFadumpRegionSample_IsParsedAsFadumpRegion()
    {
        // Which text is which format is RegionMap's to decide; the fadump_region grammar is FadumpRegionTextTests'.
        var path = Repo.TestData("regions", "pre-5.7.active.fadump_region");
        var map = RegionMap.ParseFile(path);
        Assert.Equal("fadump_region", map.Format);
        Assert.Equal(FadumpRegionText.Parse(File.ReadAllText(path)).Regions, map.Regions);
    }

    [Fact]
    public void ParseFile_AFadumpRegionError_NamesTheFile()
    {
        using var dir = new TempDir();
        var path = dir.File("bad.fadump_region");
        File.WriteAllText(path, "CPU :[0x1000-0x1fff] 0xfff bytes, Dumped: 0x0\n");
        var ex = Assert.Throws<DumpFormatException>(() => RegionMap.ParseFile(path));
        Assert.Equal((path, 21L), (ex.FilePath, ex.Offset));
        Assert.Contains("(line 1, column 22) says 0xfff bytes", ex.Message);
    }

    [Fact]
    public void Fadump_OpalShape_DumpLinesOnly()
    {
        var map = RegionMap.Parse("DUMP: Src: 0x00000000000000, Dest: 0x00000020000000, Size: 0x40000000, Dumped: 0x0 bytes\n");
        Assert.Equal("fadump_region", map.Format);
        Assert.False(map.DumpActive);
    }
}
