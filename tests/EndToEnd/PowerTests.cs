using System.Globalization;
using System.Text.RegularExpressions;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// A real ppc64le pseries vmcore (scripts/make-ppc64-fixture.sh: Debian's ppc64el kernel under
/// qemu-system-ppc64, QMP dump-guest-memory) against the real readers: Debian's ppc64el makedumpfile
/// run under qemu-user-static (scripts/make-ppc64el-root.sh) and libkdumpfile. QEMU's file lacks
/// VMCOREINFO and has a big-endian header for this little-endian guest; the fixture holds the note
/// recovered from guest memory, and vmcore.le.elf, the same memory as the kernel's /proc/vmcore
/// would show it (made by the fixture script, not by us), for the readers that need that.
/// </summary>
[Collection("real vmcore")]
public sealed partial class PowerTests : IDisposable
{
    private const string Fixture = "ppc64le-512m";
    private const int PageSize = 65536;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"^\s*(Pages filled with zero|Non-private cache pages|Private cache pages|User process data pages|Free pages|Remaining pages)\s*:\s*0x([0-9a-fA-F]+)", RegexOptions.Multiline)]
    private static partial Regex ReportLine();

    private static Dictionary<string, ulong> Report(string text) =>
        ReportLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber));

    private static string Vmcore => RealTools.FixtureFile(Fixture, "vmcore.elf");
    private static string Le => RealTools.FixtureFile(Fixture, "vmcore.le.elf");

    /// <summary>POWER9 runs the radix MMU, POWER8 (make-ppc64-fixture.sh --hash) the hash MMU.</summary>
    public static IEnumerable<object[]> FixtureLevels() =>
        from f in new[] { Fixture, Fixture + "-hash" }
        from l in new[] { 1, 2, 4, 8, 16, 31 }
        select new object[] { f, l };

    /// <summary>Debian's ppc64el makedumpfile 1.7.2 under qemu-user-static.</summary>
    private static RealTools.Result Makedumpfile(params string[] args)
    {
        var root = Environment.GetEnvironmentVariable("HVDUMP_PPC64_ROOT") is { Length: > 0 } r ? r
            : Path.Combine(RealTools.Cache, "ppc64el-root");
        RealTools.Need(File.Exists(Path.Combine(root, "usr/bin/makedumpfile")), "ppc64el makedumpfile root (scripts/make-ppc64el-root.sh)");
        return RealTools.Run(RealTools.Tool("qemu-ppc64le-static"), ["-L", root, Path.Combine(root, "usr/bin/makedumpfile"), .. args], timeoutSeconds: 600);
    }

    [SkippableTheory]
    [InlineData("vmcoreinfo.note")]
    [InlineData("vmcoreinfo.txt")]
    public void Info_TwoCpus64KPagesReleaseAndTheGuestsByteOrder(string vmcoreinfo)
    {
        var r = CliRunner.Run("info", Vmcore, "--vmcoreinfo", RealTools.FixtureFile(Fixture, vmcoreinfo));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"arch:\s+ppc64le", r.Stdout);
        Assert.Matches(@"byte order:\s+little-endian", r.Stdout);
        Assert.Matches(@"page size:\s+65536", r.Stdout);
        Assert.Matches(@"kernel:\s+6\.1\.0-\d+-powerpc64le", r.Stdout);
        Assert.Matches(@"CPUs:\s+2 \(NT_PRSTATUS\)", r.Stdout);
        // QEMU's header claims big-endian; the saved MSR says otherwise.
        Assert.Contains("the ELF header says big-endian but the saved MSR says the kernel ran little-endian", r.Stdout);
        // Each CPU's NIP read in the kernel's byte order is a kernel (0xc…) or a user address (under 2^48): QEMU
        // stops a CPU wherever it is, in the kernel or in busybox. Read in the wrong order, neither holds.
        var nips = System.Text.RegularExpressions.Regex.Matches(r.Stdout, @"cpu\d+: pid \d+ nip=0x([0-9a-f]{16})");
        Assert.Equal(2, nips.Count);
        foreach (System.Text.RegularExpressions.Match m in nips)
        {
            ulong nip = ulong.Parse(m.Groups[1].Value, System.Globalization.NumberStyles.HexNumber);
            Assert.True(nip >= 0xc000000000000000 || nip < 1UL << 48, $"NIP 0x{nip:x16} is neither a kernel nor a user address");
        }
    }

    [SkippableFact]
    public void Info_WithoutVmcoreInfo_StillReadsTheFile()
    {
        var r = CliRunner.Run("info", Vmcore);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"CPUs:\s+2", r.Stdout);
        Assert.Matches(@"VMCOREINFO:\s+none", r.Stdout);
    }

    [SkippableTheory]
    [InlineData("elf", "none")]
    [InlineData("kdump", "zlib")]
    [InlineData("kdump", "lzo")]
    [InlineData("kdump", "zstd")]
    [InlineData("kdump", "snappy")]
    public void Outputs_OpenInLibkdumpfile_LittleEndian_PagesEqualToSource(string format, string codec)
    {
        var output = _dir.File($"out.{format}.{codec}");
        var c = CliRunner.Run("convert", Vmcore, output, "--vmcoreinfo", RealTools.FixtureFile(Fixture, "vmcoreinfo.note"), "--format", format, "--compress", codec);
        Assert.True(c.ExitCode == 0, c.Stderr);
        var r = SamePagesInLibkdumpfile(output);
        Assert.Matches(@"release=6\.1\.0-\d+-powerpc64le arch=ppc64 order=little page=65536", r.Stdout);
    }

    /// <summary>
    /// libkdumpfile reads every page of OUTPUT equal to the fixture's little-endian ELF, and as many
    /// as it reads from that ELF (how many the guest has is the source's, not a number from one boot).
    /// </summary>
    private static RealTools.Result SamePagesInLibkdumpfile(string output) => RealTools.LibkdumpfileSamePages(Le, output, PageSize, "ppc64");

    [SkippableTheory]
    [MemberData(nameof(FixtureLevels))]
    public void DumpLevel_SamePfnsAndCountsAsPpc64elMakedumpfile(string fixture, int level)
    {
        string l = level.ToString(CultureInfo.InvariantCulture);
        var mdOut = _dir.File($"md-d{l}.kdump");
        var hvOut = _dir.File($"hv-d{l}.kdump");
        var m = Makedumpfile("-l", "-d", l, "--message-level", "31", RealTools.FixtureFile(fixture, "vmcore.le.elf"), mdOut).Ok("ppc64el makedumpfile -l");
        var h = CliRunner.Run("convert", RealTools.FixtureFile(fixture, "vmcore.elf"), hvOut, "--vmcoreinfo", RealTools.FixtureFile(fixture, "vmcoreinfo.txt"),
            "--compress", "lzo", "--dump-level", l, "--stats");
        Assert.True(h.ExitCode == 0, h.Stderr);
        RealTools.SamePfns(hvOut, mdOut);
        var theirs = Report(m.All);
        Assert.Equal(6, theirs.Count);
        Assert.Equal(theirs, Report(h.Stderr));
        if (level == 31) Assert.True(theirs["Free pages"] > 1000, "the fixture has free pages to exclude");
    }

    [SkippableTheory]
    [InlineData(Fixture)]
    [InlineData(Fixture + "-hash")]
    public void Dmesg_EqualsPpc64elMakedumpfileDumpDmesg(string fixture)
    {
        var mdLog = _dir.File("md.dmesg");
        Makedumpfile("--dump-dmesg", RealTools.FixtureFile(fixture, "vmcore.le.elf"), mdLog).Ok("ppc64el makedumpfile --dump-dmesg");
        var ours = CliRunner.Run("dmesg", RealTools.FixtureFile(fixture, "vmcore.elf"), "--vmcoreinfo", RealTools.FixtureFile(fixture, "vmcoreinfo.note"));
        Assert.True(ours.ExitCode == 0, ours.Stderr);
        Assert.Contains("hvdump fixture: a line for dmesg", ours.Stdout);
        Assert.Equal(File.ReadAllText(mdLog), ours.Stdout);
    }

    [SkippableTheory]
    [InlineData("elf")]
    [InlineData("kdump")]
    public void Ppc64elMakedumpfile_ReadsOurOutputs(string format)
    {
        // Our little-endian ELF and kdump files as makedumpfile's own input: it filters them again.
        var ours = _dir.File("ours." + format);
        var c = CliRunner.Run("convert", Vmcore, ours, "--vmcoreinfo", RealTools.FixtureFile(Fixture, "vmcoreinfo.note"), "--format", format, "--compress", format == "elf" ? "none" : "zlib");
        Assert.True(c.ExitCode == 0, c.Stderr);
        var again = _dir.File("again.kdump");
        Makedumpfile("-c", "-d", "31", ours, again).Ok("ppc64el makedumpfile on our " + format);
        var direct = _dir.File("direct.kdump");
        Makedumpfile("-c", "-d", "31", Le, direct).Ok("ppc64el makedumpfile -c -d 31");
        RealTools.SamePfns(again, direct);
        using var d = DumpProbe.Open(again);
        Assert.Equal(ByteOrder.Little, d.Header.ByteOrder);
    }

    /// <summary>
    /// hvdump save on the POWER dump against the kernel double: boot memory copied high as the
    /// design does, 64 KiB release units, each released once and only after its PFNs are readable
    /// from the output; the saved dump is the kernel's byte order and matches the real readers.
    /// </summary>
    [SkippableTheory]
    [InlineData(0)]
    [InlineData(31)]
    public async Task Save_ReleasesEveryByteOnce_OutputMatchesTheRealReaders(int level)
    {
        const string map = "CPU:0x24000000-0x10000: HPTE:0x24010000-0x10000: DUMP:0x20000000-0x4000000, 0x4000000-0x1C000000\n";
        const ulong expected = 0x4000000 + 0x1C000000 + 0x10000 + 0x10000;
        var mapPath = _dir.File("map");
        File.WriteAllText(mapPath, map);
        var fifo = _dir.File("release");
        Assert.Equal(0, RealTools.Run(RealTools.Tool("mkfifo"), [fifo]).ExitCode);
        var target = _dir.File("target");
        Directory.CreateDirectory(target);
        var log = _dir.File("double.log");
        var dbl = RealTools.StartReleaseDouble(fifo, mapPath, Vmcore, target, log);
        var r = RealTools.Run("dotnet", [HvDumpKit.Tests.Builders.Samples.HvdumpDll, "save", "--vmcore", Vmcore, "--vmcoreinfo", RealTools.FixtureFile(Fixture, "vmcoreinfo.note"),
            "--region-map", mapPath, "--release-file", fifo, "--dump-level", level.ToString(CultureInfo.InvariantCulture), "--compress", "lzo", "--checkpoint", "256", target], timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.True(await Task.Run(() => dbl.WaitForExit(60_000)));
        var lines = File.ReadAllLines(log);
        Assert.DoesNotContain(lines, l => l.StartsWith("ERROR", StringComparison.Ordinal));
        Assert.Equal(expected, lines.Select(l => l.Split(' ')).Aggregate(0UL, (t, p) => t + System.Convert.ToUInt64(p[2], 16)));
        var dir = Directory.GetDirectories(target).Single();
        var vmcore = Path.Combine(dir, "vmcore");
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "vmcore-dmesg.txt")), CliRunner.Run("dmesg", vmcore).Stdout);
        using (var d = DumpProbe.Open(vmcore)) Assert.Equal(ByteOrder.Little, d.Header.ByteOrder);
        if (level == 0)
        {
            SamePagesInLibkdumpfile(vmcore);
            return;
        }
        var md = _dir.File("md.kdump");
        Makedumpfile("-l", "-d", "31", Le, md).Ok("ppc64el makedumpfile -l -d 31");
        RealTools.SamePfns(vmcore, md);
    }
}
