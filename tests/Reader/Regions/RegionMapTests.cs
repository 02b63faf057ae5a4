using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;
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
    public void Parse_FadumpDebugfs_ReadsBothShapes()
    {
        var text = "CPU : [0x0000000fd0000000-0x0000000fd000ffff] 0x10000 bytes, Dumped: 0x10000\n" +
                   "HPTE: [0x0000000fd0010000-0x0000000fd0010fff] 0x1000 bytes, Dumped: 0x0\n" +
                   "DUMP: Src: 0x0000000000000000, Dest: 0x0000000fd0020000, Size: 0x40000000, Dumped: 0x40000000 bytes\n" +
                   "\n[0x0000000fd4020000-0x0000000fffffffff] 0x2bfe0000 bytes, Dumped: 0x0\n";
        var map = RegionMap.Parse(text);
        Assert.Equal("fadump_region", map.Format);
        Assert.Equal(4, map.Regions.Count);
        Assert.Equal(0x10000UL, map.Regions[0].Size);
        Assert.Equal((RegionKind.Dump, 0xfd0020000UL, 0x40000000UL, 0UL), (map.Regions[2].Kind, map.Regions[2].Address, map.Regions[2].Size, map.Regions[2].SourceAddress));
        Assert.Equal(RegionKind.Reserved, map.Regions[3].Kind);
    }
}
