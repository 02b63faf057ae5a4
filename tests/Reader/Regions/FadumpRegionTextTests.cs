using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Regions;

/// <summary>
/// /sys/kernel/debug/powerpc/fadump_region in every shape the kernel prints it. The tests of the
/// testdata samples and the first malformed cases came here from RegionMapTests, assertions unchanged
/// (they now call FadumpRegionText.Parse directly, not through RegionMap's format dispatch).
/// </summary>
public sealed class FadumpRegionTextTests
{
    private static RegionMap Sample(string name) => FadumpRegionText.Parse(File.ReadAllText(Repo.TestData("regions", name)));

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
        Assert.Equal((0xfc0000000UL, 0x10000000UL, 0xfc0000000UL),
            (map.Regions[3].Address, map.Regions[3].Size, map.Regions[3].SourceAddress));
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
        var map = FadumpRegionText.Parse(text);
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
        var ex = Assert.Throws<DumpFormatException>(() => FadumpRegionText.Parse(text));
        Assert.Contains($"(line {line}, column {column})", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Equal(text.Split('\n').Take(line - 1).Sum(l => l.Length + 1) + column - 1, ex.Offset);
    }

    [Fact]
    public void Fadump_NoArea_IsAnError()
    {
        var ex = Assert.Throws<DumpFormatException>(
            () => FadumpRegionText.Parse("\n[0x0000007ffff800-0x0000007fffffff]: cmdline append: ''\n"));
        Assert.Contains("lists no CPU, HPTE or DUMP area", ex.Message);
    }

    [Fact]
    public void Parse_Before57_SourceOfTheReservedRangeIsItselfAndTheCopyPreservesZero()
    {
        var map = FadumpRegionText.Parse("CPU : [0x0000000000010000-0x0000000000010fff] 0x1000 bytes, Dumped: 0x1000\n" +
            "DUMP: [0x0000000000020000-0x0000000000027fff] 0x8000 bytes, Dumped: 0x8000\n" +
            "    : [0x0000000000100000-0x000000000010ffff] 0x10000 bytes, Dumped: 0x10000\n");
        Assert.Equal(
            // Column is the '[' of each (1-based): the label-less line's four spaces count.
            [(RegionKind.Cpu, 0x10000UL, 0x1000UL, 0x10000UL, 1, 7), (RegionKind.Dump, 0x20000UL, 0x8000UL, 0UL, 2, 7),
             (RegionKind.Reserved, 0x100000UL, 0x10000UL, 0x100000UL, 3, 7)],
            map.Regions.Select(r => (r.Kind, r.Address, r.Size, r.SourceAddress, r.Line, r.Column)).ToArray());
        Assert.Null(map.ReservedAbove);
    }

    [Fact]
    public void Parse_CrLfLineEndingsAndLeadingBlankLines_SameAsLf()
    {
        const string Text = "\nCPU :[0x1000-0x1fff] 0x1000 bytes, Dumped: 0x0\n" +
            "DUMP: Src: 0x0, Dest: 0x10000, Size: 0x4000, Dumped: 0x0 bytes\n";
        var lf = FadumpRegionText.Parse(Text);
        var crlf = FadumpRegionText.Parse(Text.Replace("\n", "\r\n"));
        Assert.Equal(lf.Regions, crlf.Regions);
        Assert.Equal([2, 3], crlf.Regions.Select(r => r.Line));
        Assert.Empty(crlf.Warnings);
        // The \r is no part of the line: an error quotes the text before it.
        var ex = Assert.Throws<DumpFormatException>(
            () => FadumpRegionText.Parse("CPU :[0x1000-0x1fff] 0x1000 bytes, Dumped: 0x0 junk\r\n"));
        Assert.Equal("(line 1, column 48) has 'junk' after the area where the line should end", ex.Problem);
    }

    [Fact]
    public void Parse_ParamAreaWithAnAppendedCommandLine()
    {
        var map = FadumpRegionText.Parse("CPU :[0x1000-0x1fff] 0x1000 bytes, Dumped: 0x0\n" +
            "[0x0000000000007000-0x00000000000077ff]: cmdline append: 'quiet panic=5'\n");
        Assert.Equal(new FadumpParamArea(0x7000, 0x800, "quiet panic=5", 2), map.ParamArea);
        Assert.Empty(map.OtherLines);
    }

    [Fact]
    public void Parse_UnknownTypeAtTheLinesEnd_KeptAsOtherText()
    {
        var map = FadumpRegionText.Parse("CPU :[0x1000-0x1fff] 0x1000 bytes, Dumped: 0x0\n" +
            "Unknown region type 12 : Src: 0x5000, Dest: 0x6000,\n");
        Assert.Single(map.Regions);
        Assert.Equal([new RegionMapLine(2, "Unknown region type 12 : Src: 0x5000, Dest: 0x6000,")], map.OtherLines);
    }

    [Fact]
    public void Parse_BootMemoryNotPageAlignedAndOverlappingAreas_WarnedNotRefused()
    {
        var map = FadumpRegionText.Parse("CPU :[0x10000-0x10fff] 0x1000 bytes, Dumped: 0x0\n" +
            "DUMP: Src: 0x0, Dest: 0x10800, Size: 0x1000, Dumped: 0x0 bytes\n");
        Assert.Equal(
            ["DUMP area 0x10800+0x1000 (line 2) is not page aligned",
             "DUMP region 0x10800+0x1000 (line 2) overlaps CPU region 0x10000+0x1000 (line 1)"],
            map.Warnings);
    }

    [Fact]
    public void Parse_DestinationAndSizeWrapping_AnErrorAtTheArea()
    {
        const string Text = "DUMP: Src: 0x0, Dest: 0xfffffffffffff000, Size: 0x2000, Dumped: 0x0 bytes\n";
        var ex = Assert.Throws<DumpFormatException>(() => FadumpRegionText.Parse(Text));
        Assert.Equal(("region map", 6L), (ex.FieldName, ex.Offset));
        Assert.Equal("(line 1, column 7) has a destination and size that wrap around 2^64", ex.Problem);
    }

    [Fact]
    public void Parse_ANumberPast64Bits_NamesItAndItsColumn()
    {
        const string Text = "CPU :[0x10000000000000000-0x1] 0x1 bytes, Dumped: 0x0\n";
        var ex = Assert.Throws<DumpFormatException>(() => FadumpRegionText.Parse(Text));
        Assert.Equal(6L, ex.Offset);
        Assert.Equal("(line 1, column 7) has '0x10000000000000000', which does not fit in 64 bits", ex.Problem);
    }
}
