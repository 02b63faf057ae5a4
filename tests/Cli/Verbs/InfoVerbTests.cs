using System.Text.Json;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli.Verbs;

public sealed class InfoVerbTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static string Sample => Samples.Elf;
    private static string KdumpSample => Samples.Kdump;

    [Fact]
    public void Sample_IsWhatTheBuilderMakes()
    {
        Golden.Bytes(Sample, SyntheticKernel.Vmcore().Build());
    }

    [Fact]
    public void KdumpSample_IsWhatTheWriterMakes()
    {
        var tmp = _dir.File("k");
        Builders.Convert.To(Sample, tmp, "kdump", HvDumpKit.Reader.Codecs.PageCompression.Zstd, level: 1);
        Golden.Bytes(KdumpSample, File.ReadAllBytes(tmp));
    }

    [Theory]
    [InlineData("elf", "synth-x86_64.vmcore")]
    [InlineData("kdump", "synth-x86_64-zstd.kdump")]
    public void Info_CommittedSamples_MatchExpect(string folder, string name)
    {
        var path = Repo.TestData(folder, name);
        var r = CliRunner.Run("info", path, "--region-map", Repo.TestData("regions", "design-example.release_region"));
        Assert.Equal(0, r.ExitCode);
        Golden.Text(path + ".expect", r.Stdout.Replace(Repo.Root, "."));
    }

    /// <summary>A VMCOREINFO without CRASHTIME or init_uts_ns: those must come from the kdump header.</summary>
    private string BareVmcoreInfo()
    {
        var vi = _dir.File("VI.txt");
        File.WriteAllText(vi, "OSRELEASE=6.1.0-test\nPAGESIZE=4096\n");
        return vi;
    }

    [Fact]
    public void Info_KdumpWithVmcoreInfo_KeepsFormatCrashTimeUtsnameAndKdumpSection()
    {
        var r = CliRunner.Run("info", KdumpSample, "--vmcoreinfo", BareVmcoreInfo());
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("format:       kdump-compressed (header_version 6)\n", r.Stdout);
        Assert.Contains("crash time:   2023-11-14 22:13:20 UTC\n", r.Stdout);
        Assert.Contains("compression:  zstd\n", r.Stdout);
        Assert.Contains("utsname:      Linux testhost 6.1.0-test x86_64\n", r.Stdout);
        Assert.Contains("phys_base:    0x0\n", r.Stdout);
    }

    [Fact]
    public void Info_KdumpWithVmcoreInfoJson_KeepsFormatCrashTimeAndKdumpSection()
    {
        var r = CliRunner.Run("info", KdumpSample, "--vmcoreinfo", BareVmcoreInfo(), "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal("kdump", root.GetProperty("format").GetString());
        Assert.Equal(1700000000, root.GetProperty("crash_time").GetInt64());
        var kdump = root.GetProperty("kdump");
        Assert.Equal("zstd", kdump.GetProperty("compression").GetString());
        Assert.Equal("6.1.0-test", kdump.GetProperty("utsname_release").GetString());
        Assert.Equal("x86_64", kdump.GetProperty("utsname_machine").GetString());
    }

    [Fact]
    public void Info_Json_CarriesTheFacts()
    {
        var r = CliRunner.Run("info", Sample, "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal("elf", root.GetProperty("format").GetString());
        Assert.Equal("x86_64", root.GetProperty("arch").GetString());
        Assert.Equal(4096, root.GetProperty("page_size").GetInt32());
        Assert.Equal("6.1.0-test", root.GetProperty("kernel_release").GetString());
        Assert.Equal(1, root.GetProperty("cpus").GetInt32());
        Assert.Equal(2, root.GetProperty("pt_load_count").GetInt32());
        Assert.Equal(1234, root.GetProperty("prstatus")[0].GetProperty("pid").GetInt32());
    }

    [Fact]
    public void Info_TruncatedHeader_OneLineWithFieldAndOffsetExit1()
    {
        var bytes = File.ReadAllBytes(Sample);
        var cut = _dir.File("cut.vmcore");
        File.WriteAllBytes(cut, bytes.AsSpan(0, 100).ToArray());
        var r = CliRunner.Run("info", cut);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(cut, line);
        Assert.Contains("e_phnum at 0x38", line);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Info_NotADump_Exit1()
    {
        var f = _dir.File("text");
        File.WriteAllText(f, "hello world, not a dump");
        var r = CliRunner.Run("info", f);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("hvdump: " + f + ": signature", r.Stderr);
    }

    /// <summary>
    /// A FADump-shaped vmcore, scaled down: boot memory (PFNs 0–31) and the memory above the
    /// reserved area from an unaligned start (0x301b0), as the capture kernel exports them.
    /// </summary>
    private string FadumpShapedVmcore()
    {
        const int page = SyntheticKernel.Page, npfn = 64;
        var mem = SyntheticKernel.Memory(npfn);
        ulong start = 0x301b0, end = npfn * page;
        var b = new ElfCoreBuilder().PrStatus(0).PrStatus(0).VmcoreInfo(SyntheticKernel.VmcoreInfo());
        b.AddLoad(0, mem.AsSpan(0, 32 * page).ToArray(), vaddr: SyntheticKernel.Kv(0));
        b.AddLoad(start, mem.AsSpan((int)start, (int)(end - start)).ToArray(), vaddr: SyntheticKernel.Kv(start));
        return b.WriteTo(_dir.File("fadump.elf"));
    }

    private const string FadumpActiveMap =
        "CPU :[0x00000000020000-0x000000000209ff] 0xa00 bytes, Dumped: 0xa00\n" +
        "HPTE:[0x00000000020a00-0x000000000209ff] 0x0 bytes, Dumped: 0x0\n" +
        "DUMP: Src: 0x00000000000000, Dest: 0x00000000021000, Size: 0x20000, Dumped: 0x20000 bytes\n\n" +
        "[0x0000000003f800-0x0000000003ffff]: cmdline append: ''\n\n" +
        "Memory above 0x00000000020000 is reserved for saving crash dump\n";

    [Fact]
    public void Info_FadumpRegion_RelatesEachAreaAndTheReservedMemoryToTheDump()
    {
        var vmcore = FadumpShapedVmcore();
        var map = _dir.File("fadump_region");
        File.WriteAllText(map, FadumpActiveMap);
        var r = CliRunner.Run("info", vmcore, "--region-map", map);
        Assert.Equal(0, r.ExitCode);
        var from = r.Stdout.IndexOf("regions:", StringComparison.Ordinal);
        var to = r.Stdout.IndexOf("kernel log:", StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, r.Stdout);
        var expectedStart = string.Join("\n",
            "regions:      3 (fadump_region, dump active)",
            "  CPU   addr 0x20000 size 0xa00, dumped 0xa00",
            "        physical 0x20000+0xa00 not in the dump",
            "        register save area: the dump carries it as 2 NT_PRSTATUS notes",
            "  HPTE  addr 0x20a00 size 0x0, dumped 0x0",
            "  DUMP  addr 0x21000 size 0x20000, dumped 0x20000 (copy of physical 0x0)");
        var section = r.Stdout[from..to];
        Assert.StartsWith(expectedStart + "\n        physical 0x0+0x20000 at file offset 0x", section);
        Assert.Contains("\n  RESERVED addr 0x20000 size 0x20000 (reserved for saving the crash dump)\n" +
            "        physical 0x20000+0x101b0 not in the dump\n        physical 0x301b0+0xfe50 at file offset 0x", section);
        Assert.Contains("\n  PARAM addr 0x3f800 size 0x800: cmdline append ''\n", section);
        Assert.Contains("\n  line 7: Memory above 0x00000000020000 is reserved for saving crash dump\n", section);
        Assert.DoesNotContain("warning", section);
    }

    [Fact]
    public void Info_FadumpRegionJson_CarriesCountsActiveAndReservedAbove()
    {
        var map = _dir.File("fadump_region");
        File.WriteAllText(map, FadumpActiveMap.Replace("Dumped: 0xa00", "Dumped: 0x0").Replace("Dumped: 0x20000 bytes", "Dumped: 0x0 bytes")
            .Replace("Memory above 0x00000000020000 is reserved for saving crash dump\n", ""));
        var r = CliRunner.Run("info", FadumpShapedVmcore(), "--region-map", map, "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        var rm = doc.RootElement.GetProperty("region_map");
        Assert.False(rm.GetProperty("dump_active").GetBoolean());
        Assert.False(rm.TryGetProperty("reserved_above", out _));
        Assert.Equal("0x800", rm.GetProperty("param_area").GetProperty("size").GetString());
        var regions = rm.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(["CPU", "HPTE", "DUMP"], regions.Select(x => x.GetProperty("kind").GetString() ?? "").ToArray());
        Assert.All(regions, x => Assert.Equal("0x0", x.GetProperty("dumped").GetString()));
        Assert.Equal(3, regions[2].GetProperty("line").GetInt32());
    }

    [Fact]
    public void Info_MalformedRegionMap_NamesColumnExit1()
    {
        var map = _dir.File("map");
        File.WriteAllText(map, "CPU:0x1000-0x1000: HPTE:0x2000=0x1000:");
        var r = CliRunner.Run("info", Sample, "--region-map", map);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("column 31", r.Stderr);
    }
}
