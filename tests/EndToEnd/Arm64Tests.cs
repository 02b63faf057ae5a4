using System.Globalization;
using System.Text.RegularExpressions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Real arm64 vmcores (scripts/make-arm64-fixture.sh: 4 KiB pages with KASLR on and off, and 16 KiB pages with
/// 52-bit VA on FEAT_LPA2) against what an arm64 makedumpfile made of the same vmcore, kept in the fixture: its
/// kdump file and --message-level 31 report for each dump level (oracle-dN.kdump, oracle-dN.txt), and its
/// --dump-dmesg (dmesg.makedumpfile.txt). No makedumpfile (1.7.8 included) handles 16 KiB pages with 52-bit VA
/// ("PAGE SIZE 0x4000 and VA Bits 52 not supported"), so on that fixture the oracles are drgn (the kernel's own
/// page counters, its log, its tasks) and libkdumpfile. Every expectation is read from those tools' outputs,
/// none is a number from one boot. HVDUMP_ARM64_FIXTURE names the folder holding the fixtures.
/// </summary>
[Collection("real vmcore")]
public sealed partial class Arm64Tests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>The fixtures the arm64 makedumpfile reads.</summary>
    public static readonly string[] Fixtures = ["arm64-512m", "arm64-512m-nokaslr"];

    /// <summary>Those and the 16 KiB, 52-bit one.</summary>
    public static readonly string[] AllFixtures = [.. Fixtures, "arm64-512m-16k"];

    private static readonly int[] Levels = [1, 2, 4, 8, 16, 31];

    public static IEnumerable<object[]> FixtureLevels() => from f in Fixtures from l in Levels select new object[] { f, l };

    public static IEnumerable<object[]> AllFixtureLevels() => from f in AllFixtures from l in Levels select new object[] { f, l };

    public static IEnumerable<object[]> EachFixture() => Fixtures.Select(f => new object[] { f });

    public static IEnumerable<object[]> EveryFixture() => AllFixtures.Select(f => new object[] { f });

    private static string File(string fixture, string name)
    {
        var root = Environment.GetEnvironmentVariable("HVDUMP_ARM64_FIXTURE");
        var f = root is { Length: > 0 } ? Path.Combine(root, fixture, name) : null;
        RealTools.Need(f is not null && System.IO.File.Exists(f),
            $"arm64 fixture {fixture}/{name} in $HVDUMP_ARM64_FIXTURE (scripts/make-arm64-fixture.sh makes it)");
        return f!;
    }

    [GeneratedRegex(@"^\s*(Pages filled with zero|Non-private cache pages|Private cache pages|User process data pages|Free pages"
        + @"|Remaining pages)\s*:\s*0x([0-9a-fA-F]+)", RegexOptions.Multiline)]
    private static partial Regex ReportLine();

    private static Dictionary<string, ulong> Report(string text) =>
        ReportLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber));

    [SkippableTheory]
    [MemberData(nameof(EveryFixture))]
    public void Info_Aarch64WithVaBitsAndEachCpusPc(string fixture)
    {
        var vmcore = File(fixture, "vmcore.elf");
        var r = CliRunner.Run("info", vmcore);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var d = HvDumpKit.Reader.DumpProbe.Open(vmcore);
        var vi = d.VmcoreInfo!;
        Assert.Matches(@"arch:\s+aarch64 \(e_machine 183\)", r.Stdout);
        Assert.Matches($@"page size:\s+{vi.PageSize}\n", r.Stdout);
        Assert.Matches($@"NUMBER\(VA_BITS\)\s+{vi.Number("VA_BITS")}\n", r.Stdout);
        int cpus = d.Notes.PrStatus.Count();
        Assert.True(cpus > 0);
        Assert.Matches($@"CPUs:\s+{cpus} \(NT_PRSTATUS\)", r.Stdout);
        Assert.Equal(cpus, Regex.Matches(r.Stdout, @"cpu\d+: pid \d+ pc=0x[0-9a-f]{16}").Count);
    }

    [SkippableTheory]
    [MemberData(nameof(FixtureLevels))]
    public void DumpLevel_SamePfnsAndCountsAsMakedumpfile(string fixture, int level)
    {
        string l = level.ToString(CultureInfo.InvariantCulture);
        var theirs = File(fixture, $"oracle-d{l}.kdump");
        var report = Report(System.IO.File.ReadAllText(File(fixture, $"oracle-d{l}.txt")));
        var ours = _dir.File($"hv-d{l}.kdump");
        var h = CliRunner.Run("convert", File(fixture, "vmcore.elf"), ours, "-c", "lzo", "-d", l, "--stats");
        Assert.True(h.ExitCode == 0, h.Stderr);
        RealTools.SamePfns(ours, theirs);
        Assert.Equal(6, report.Count);
        Assert.Equal(report, Report(h.Stderr));
    }

    /// <summary>
    /// Each excluded class against the kernel's own counters in the dump, read by drgn on the /proc/vmcore-layout ELF
    /// (tests/EndToEnd/check_counters_drgn.py, in pages of the dumped kernel): free = NR_FREE_PAGES, cache =
    /// NR_FILE_PAGES less swap cache, user ≥ NR_ANON_MAPPED (an unmapped anonymous page waiting to be freed is still
    /// user data). On the 4 KiB fixtures makedumpfile agrees with both (DumpLevel_SamePfnsAndCountsAsMakedumpfile);
    /// on the 16 KiB one this is the oracle.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(AllFixtureLevels))]
    public void DumpLevel_ClassCountsAreTheKernelsOwnCounters(string fixture, int level)
    {
        var counters = KernelCounters(fixture);
        var h = CliRunner.Run("convert", File(fixture, "vmcore.elf"), _dir.File("c.kdump"), "-c", "lzo", "-d",
            level.ToString(CultureInfo.InvariantCulture), "--stats");
        Assert.True(h.ExitCode == 0, h.Stderr);
        Assert.DoesNotContain("hvdump: warning:", h.Stderr);
        var ours = Report(h.Stderr);
        ulong cache = ours["Non-private cache pages"] + ours["Private cache pages"];
        if ((level & 4) != 0) Assert.Equal(counters["CachedPlusBuffers"], cache);
        else if ((level & 2) != 0) Assert.InRange(ours["Non-private cache pages"], 1UL, counters["CachedPlusBuffers"]);
        else Assert.Equal(0UL, cache);
        Assert.Equal((level & 16) != 0 ? counters["NR_FREE_PAGES"] : 0, ours["Free pages"]);
        if ((level & 8) != 0) Assert.InRange(ours["User process data pages"], counters["NR_ANON_MAPPED"], counters["NR_ANON_MAPPED"] + 64);
        else Assert.Equal(0UL, ours["User process data pages"]);
    }

    private static Dictionary<string, ulong> KernelCounters(string fixture)
    {
        var r = RealTools.Python(RealTools.Script("check_counters_drgn.py"), [File(fixture, "vmcore.kexec.elf"), File(fixture, "vmlinux")])
            .Ok("check_counters_drgn.py " + fixture);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetUInt64());
    }

    private static string DrgnDmesg(string fixture) =>
        RealTools.Python(RealTools.Script("check_dmesg_drgn.py"), [File(fixture, "vmcore.kexec.elf"), File(fixture, "vmlinux")])
            .Ok("check_dmesg_drgn.py " + fixture).Stdout;

    /// <summary>drgn's get_dmesg() on the /proc/vmcore-layout ELF: on the 4 KiB fixtures byte-equal to makedumpfile's --dump-dmesg.</summary>
    [SkippableTheory]
    [MemberData(nameof(EveryFixture))]
    public void Dmesg_EqualsDrgnsGetDmesg(string fixture)
    {
        var theirs = DrgnDmesg(fixture);
        Assert.NotEmpty(theirs);
        var ours = CliRunner.Run("dmesg", File(fixture, "vmcore.elf"));
        Assert.True(ours.ExitCode == 0, ours.Stderr);
        Assert.Equal(theirs, ours.Stdout);
    }

    /// <summary>
    /// `save` on arm64 as on the other machines, against the kernel double (tests/ReleaseDouble): the
    /// guest's RAM (from PHYS_OFFSET, read from the vmcore's PT_LOADs) is the reserved region, released in
    /// units of 2048 pages, each only after the double read every PFN it holds back from the output equal to
    /// the source; the output holds the PFNs the arm64 makedumpfile dumps at -d 31 and the saved log is its --dump-dmesg.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(EveryFixture))]
    public void Save_EveryRangeReleasedOnceAfterDurable_SamePfnsAndLogAsMakedumpfile(string fixture)
    {
        var vmcore = File(fixture, "vmcore.elf");
        // Where no makedumpfile reads the dump (16 KiB pages, 52-bit VA), the save must dump what convert does,
        // whose page classes DumpLevel_ClassCountsAreTheKernelsOwnCounters checks, and save drgn's log.
        bool md = Fixtures.Contains(fixture);
        string oracle;
        if (md) oracle = File(fixture, "oracle-d31.kdump");
        else
        {
            oracle = _dir.File("convert-d31.kdump");
            Assert.True(CliRunner.Run("convert", vmcore, oracle, "-c", "lzo", "-d", "31") is { ExitCode: 0 });
        }
        var dmesg = md ? System.IO.File.ReadAllText(File(fixture, "dmesg.makedumpfile.txt"))
            : DrgnDmesg(fixture);
        ulong start, end, page;
        using (var d = HvDumpKit.Reader.DumpProbe.Open(vmcore))
        {
            var ranges = d.PresentRanges().ToList();
            page = (ulong)d.Header.PageSize;
            (start, end) = (ranges[0].Start * page, (ranges[^1].Start + ranges[^1].Count) * page);
        }
        // The first DUMP pair of release_region is the copy of the real-mode region (physical 0), which arm64 has not:
        // one page (of the dumped kernel: releases are whole pages) past the guest's RAM stands for it, its source absent from the dump.
        var map = _dir.File("map");
        System.IO.File.WriteAllText(map, $"DUMP:0x{end:x}-0x{page:x}, 0x{start:x}-0x{end - start:x}\n");
        var target = _dir.File("target");
        Directory.CreateDirectory(target);
        var fifo = _dir.File("release.fifo");
        Assert.Equal(0, RealTools.Run(RealTools.Tool("mkfifo"), [fifo]).ExitCode);
        var log = _dir.File("double.log");
        using var dbl = RealTools.StartReleaseDouble(fifo, map, vmcore, target, log);
        var r = RealTools.Run("dotnet", [Samples.HvdumpDll, "save", "--vmcore", vmcore, "--region-map", map, "--release-file", fifo,
            "--checkpoint", "2048", "--compress", "lzo", "--dump-level", "31", target], timeoutSeconds: 600);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.True(dbl.WaitForExit(60_000), "the release double did not finish");
        Assert.Equal(0, dbl.ExitCode);
        var lines = System.IO.File.ReadAllLines(log);
        Assert.DoesNotContain(lines, l => l.StartsWith("ERROR", StringComparison.Ordinal));
        var released = lines.Select(l => l.Split(' ')).Select(p => (A: System.Convert.ToUInt64(p[1], 16), S: System.Convert.ToUInt64(p[2], 16)))
            .OrderBy(x => x.A).ToList();
        Assert.True(released.Count > 2, $"only {released.Count} releases");
        Assert.Equal(end - start + page, released.Aggregate(0UL, (a, x) => a + x.S));
        for (int i = 1; i < released.Count; i++) Assert.True(released[i - 1].A + released[i - 1].S <= released[i].A, "released twice");
        var dir = Directory.GetDirectories(target).Single();
        RealTools.SamePfns(Path.Combine(dir, "vmcore"), oracle);
        Assert.Equal(dmesg, System.IO.File.ReadAllText(Path.Combine(dir, "vmcore-dmesg.txt")));
    }

    [SkippableTheory]
    [MemberData(nameof(EachFixture))]
    public void Dmesg_EqualsMakedumpfileDumpDmesg(string fixture)
    {
        var theirs = System.IO.File.ReadAllText(File(fixture, "dmesg.makedumpfile.txt"));
        var ours = CliRunner.Run("dmesg", File(fixture, "vmcore.elf"));
        Assert.True(ours.ExitCode == 0, ours.Stderr);
        Assert.Equal(theirs, ours.Stdout);
    }

    public static IEnumerable<object[]> FormatsOfEachFixture() =>
        from f in AllFixtures
        from fc in new[] { ("elf", "none"), ("kdump", "zlib"), ("kdump", "lzo"), ("kdump", "zstd"), ("kdump", "snappy"), ("flat", "zlib") }
        select new object[] { f, fc.Item1, fc.Item2 };

    /// <summary>libkdumpfile (arch aarch64) reads every page of each output equal to the source, as many as the source has.</summary>
    [SkippableTheory]
    [MemberData(nameof(FormatsOfEachFixture))]
    public void Outputs_OpenInLibkdumpfile_Aarch64_PagesEqualToSource(string fixture, string format, string codec)
    {
        var vmcore = File(fixture, "vmcore.elf");
        var output = _dir.File($"out.{format}.{codec}");
        var c = CliRunner.Run("convert", vmcore, output, "--format", format, "--compress", codec);
        Assert.True(c.ExitCode == 0, c.Stderr);
        if (format == "flat")
        {
            // libkdumpfile reads kdump files: the stream goes through the real makedumpfile -R first (it only reorders records).
            var rearranged = _dir.File("rearranged.kdump");
            var re = RealTools.Run(RealTools.Tool("makedumpfile"), ["-R", rearranged], stdinFile: output);
            Assert.True(re.ExitCode == 0, re.All);
            output = rearranged;
        }
        int pageSize;
        using (var d = HvDumpKit.Reader.DumpProbe.Open(vmcore)) pageSize = d.Header.PageSize;
        // The reference is the arm64 makedumpfile's -d 0 file: libkdumpfile reads the page just below a PT_LOAD of an ELF
        // (PFN 0x3ffff here, below RAM) as zeros, a page no dump of this memory holds.
        // Without a makedumpfile for the 16 KiB fixture (and QEMU 7.2 writes its own kdump file of it in 64 KiB blocks,
        // which libkdumpfile takes for the kernel's 16 KiB pages), the pages expected are those wholly inside the
        // source's PT_LOADs, by the script's own reading.
        var reference = Fixtures.Contains(fixture) ? File(fixture, "oracle-d0.kdump") : "ptload";
        var r = RealTools.LibkdumpfileSamePages(vmcore, output, pageSize, "aarch64", reference: reference);
        Assert.Matches($@"arch=aarch64 order=little page={pageSize}\b", r.Stdout);
    }

    /// <summary>
    /// The raw image (the one format no reader but a ramdump loader opens: libkdumpfile has no raw format, and
    /// Debian's crash reads only x86_64) holds every page of the source's PT_LOADs at its physical address, by a
    /// script that reads both files itself; and the ELF output carries the source's arm64 PRSTATUS notes, each CPU's pc.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(EveryFixture))]
    public void RawAndElfOutputs_PagesAtTheirAddresses_PrStatusKept(string fixture)
    {
        var vmcore = File(fixture, "vmcore.elf");
        int pageSize;
        using (var d = HvDumpKit.Reader.DumpProbe.Open(vmcore)) pageSize = d.Header.PageSize;
        var raw = _dir.File("out.raw");
        var c = CliRunner.Run("convert", vmcore, raw, "--format", "raw");
        Assert.True(c.ExitCode == 0, c.Stderr);
        var r = RealTools.Python(RealTools.Script("check_raw_image.py"), [vmcore, raw, pageSize.ToString(CultureInfo.InvariantCulture)])
            .Ok("check_raw_image.py " + fixture);
        Assert.Matches(@"differ=0", r.Stdout);
        var elf = _dir.File("out.elf");
        Assert.True(CliRunner.Run("convert", vmcore, elf, "--format", "elf") is { ExitCode: 0 });
        string Cpus(string path)
        {
            var i = CliRunner.Run("info", path);
            Assert.True(i.ExitCode == 0, i.Stderr);
            return string.Join("\n", Regex.Matches(i.Stdout, @"cpu\d+: pid \d+ pc=0x[0-9a-f]{16}").Select(m => m.Value));
        }
        var theirs = Cpus(vmcore);
        Assert.NotEmpty(theirs);
        Assert.Equal(theirs, Cpus(elf));
    }

    /// <summary>
    /// drgn (the -dbg vmlinux's DWARF) finds init_task and lists as many tasks on our -d 31 kdump and ELF
    /// as on the unfiltered vmcore in the kernel's own /proc/vmcore layout (vmcore.kexec.elf: drgn needs
    /// the kernel-image PT_LOAD to find swapper_pg_dir, which QEMU's ELF lacks; our ELF keeps it).
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(EveryFixture))]
    public void Drgn_ListsEveryTaskOnOurKdumpAndElf(string fixture)
    {
        var vmlinux = File(fixture, "vmlinux");
        var kexec = File(fixture, "vmcore.kexec.elf");
        string Tasks(string dump) =>
            RealVmcoreTests.Tasks(RealTools.Python(RealTools.Script("check_drgn.py"), [dump, vmlinux], timeoutSeconds: 600)
                .Ok("check_drgn.py " + dump).Stdout);
        var expected = Tasks(kexec);
        var kdump = _dir.File("d31.kdump");
        Assert.True(CliRunner.Run("convert", File(fixture, "vmcore.elf"), kdump, "-c", "zlib", "-d", "31") is { ExitCode: 0 });
        Assert.Equal(expected, Tasks(kdump));
        var elf = _dir.File("d31.elf");
        var e = CliRunner.Run("convert", kexec, elf, "--format", "elf", "-d", "31");
        Assert.True(e.ExitCode == 0, e.Stderr);
        Assert.Equal(expected, Tasks(elf));
    }
}
