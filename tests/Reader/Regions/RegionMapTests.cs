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

    private static RegionMap Sample(string name) => RegionMap.ParseFile(Repo.TestData("regions", name));

    [Fact]
    public void Fadump_DumpActive_ZeroSizeHpteCountsParamAreaAndReservedLine()
    {
        var map = Sample("qemu-6.12-2g.active.fadump_region");
        Assert.Equal("fadump_region", map.Format);
        Assert.Equal(
            [(RegionKind.Cpu, 0x20000000UL, 0xa00UL, 0x20000000UL, 0xa00UL, 1), (RegionKind.Hpte, 0x20000a00UL, 0UL, 0x20000a00UL, 0UL, 2),
             (RegionKind.Dump, 0x20010000UL, 0x20000000UL, 0UL, 0x20000000UL, 3)],
            map.Regions.Select(r => (r.Kind, r.Address, r.Size, r.SourceAddress, r.Dumped!.Value, r.Line)).ToArray());
        Assert.True(map.DumpActive);
        Assert.Equal(0x20000000UL, map.ReservedAbove);
        Assert.Equal(new FadumpParamArea(0x7ffff800, 0x800, "", 5), map.ParamArea);
        Assert.Equal([new RegionMapLine(7, "Memory above 0x00000020000000 is reserved for saving crash dump")], map.OtherLines);
        Assert.Empty(map.Warnings);
    }

    [Theory]
    [InlineData("qemu-6.12-2g.boot1.fadump_region")]
    [InlineData("qemu-6.12-2g.released.fadump_region")]
    public void Fadump_RegisteredNoCrash_AllDumpedZero_NotActive(string name)
    {
        var map = Sample(name);
        Assert.Equal(3, map.Regions.Count);
        Assert.All(map.Regions, r => Assert.Equal(0UL, r.Dumped));
        Assert.False(map.DumpActive);
        Assert.Null(map.ReservedAbove);
        Assert.NotNull(map.ParamArea);
        Assert.Empty(map.OtherLines);
        Assert.Empty(map.Warnings);
    }

    [Fact]
    public void Fadump_Before57_SpacedLabelsBracketDumpAndLabellessReservedLine()
    {
        var map = Sample("pre-5.7.active.fadump_region");
        Assert.Equal([RegionKind.Cpu, RegionKind.Hpte, RegionKind.Dump, RegionKind.Reserved], map.Regions.Select(r => r.Kind).ToArray());
        Assert.Equal((0xfd0011000UL, 0x10000000UL, 0UL), (map.Regions[2].Address, map.Regions[2].Size, map.Regions[2].SourceAddress));
        Assert.Equal((0xfc0000000UL, 0x10000000UL, 0xfc0000000UL), (map.Regions[3].Address, map.Regions[3].Size, map.Regions[3].SourceAddress));
        Assert.True(map.DumpActive); // no "Memory above" line before 5.7: the counts say it
        Assert.Empty(map.Warnings);
    }

    [Fact]
    public void Fadump_SeveralBootMemoryRangesUnknownTypeAndFreeText_NeverAnError()
    {
        // 6.10+ registers up to 8 boot-memory ranges; an unknown type's Src/Dest has no newline (rtas_fadump_region_show).
        var text = "CPU :[0x00000020000000-0x000000200009ff] 0xa00 bytes, Dumped: 0xa00\n" +
                   "Unknown region type 9 : Src: 0x00000000000000, Dest: 0x00000020000a00, " +
                   "HPTE:[0x00000020000a00-0x000000200009ff] 0x0 bytes, Dumped: 0x0\n" +
                   "DUMP: Src: 0x00000000000000, Dest: 0x00000020010000, Size: 0x10000000, Dumped: 0x10000000 bytes\n" +
                   "DUMP: Src: 0x00000010000000, Dest: 0x00000030010000, Size: 0x10000000, Dumped: 0x8000000 bytes\n" +
                   "\nsomething a later kernel prints\n\nMemory above 0x00000020000000 is reserved for saving crash dump\n";
        var map = RegionMap.Parse(text);
        Assert.Equal([RegionKind.Cpu, RegionKind.Hpte, RegionKind.Dump, RegionKind.Dump], map.Regions.Select(r => r.Kind).ToArray());
        Assert.Equal((0x30010000UL, 0x10000000UL), (map.Regions[3].Address, map.Regions[3].SourceAddress));
        Assert.Equal(2, map.Regions[1].Line);
        Assert.Equal(["Unknown region type 9 : Src: 0x00000000000000, Dest: 0x00000020000a00,", "something a later kernel prints",
            "Memory above 0x00000020000000 is reserved for saving crash dump"], map.OtherLines.Select(l => l.Text).ToArray());
        Assert.True(map.DumpActive);
        var incomplete = Assert.Single(map.Warnings);
        Assert.Contains("0x8000000 of its 0x10000000 bytes dumped", incomplete);
        Assert.Contains("line 4", incomplete);
    }

    [Fact]
    public void Fadump_OpalShape_DumpLinesOnly()
    {
        var map = RegionMap.Parse("DUMP: Src: 0x00000000000000, Dest: 0x00000020000000, Size: 0x40000000, Dumped: 0x0 bytes\n");
        Assert.Equal("fadump_region", map.Format);
        Assert.False(map.DumpActive);
    }

    [Theory]
    // An end two below the start is no zero-length area.
    [InlineData("CPU :[0x20000000-0x200009ff] 0xa00 bytes, Dumped: 0x0\nHPTE:[0x20000a00-0x200009fe] 0x0 bytes, Dumped: 0x0\n", 2, 7,
        "end 0x200009fe below its start")]
    [InlineData("CPU :[0x20000000-0x200009ff] 0x9ff bytes, Dumped: 0x0\n", 1, 30, "spans 0xa00")]
    [InlineData("CPU :[0x20000000-0x200009ff] 0xa00 bytes, Dumped: zz\n", 1, 51, "hexadecimal number")]
    [InlineData("DUMP: Src: 0x0, Dest: 0x20010000, Size 0x1000, Dumped: 0x0 bytes\n", 1, 35, "'Size:' was expected")]
    [InlineData("DUMP: Src: 0x0, Dest: 0x20010000, Size: 0x1000, Dumped: 0x0 bytes and more\n", 1, 67, "where the line should end")]
    public void Fadump_Malformed_NamesLineAndColumn(string text, int line, int column, string problem)
    {
        var ex = Assert.Throws<DumpFormatException>(() => RegionMap.Parse(text));
        Assert.Contains($"(line {line}, column {column})", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Equal(text.Split('\n').Take(line - 1).Sum(l => l.Length + 1) + column - 1, ex.Offset);
    }

    [Fact]
    public void Fadump_NoArea_IsAnError()
    {
        var ex = Assert.Throws<DumpFormatException>(() => RegionMap.Parse("\n[0x0000007ffff800-0x0000007fffffff]: cmdline append: ''\n"));
        Assert.Contains("lists no CPU, HPTE or DUMP area", ex.Message);
    }
}
