using System.Globalization;
using System.Text.RegularExpressions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Real arm64 vmcores (scripts/make-arm64-fixture.sh: KASLR on and off) against what an arm64
/// makedumpfile made of the same vmcore, kept in the fixture: its kdump file and --message-level 31
/// report for each dump level (oracle-dN.kdump, oracle-dN.txt), and its --dump-dmesg
/// (dmesg.makedumpfile.txt). Every expectation is read from those outputs,
/// none is a number from one boot. HVDUMP_ARM64_FIXTURE names the folder holding the fixtures.
/// </summary>
[Collection("real vmcore")]
public sealed partial class Arm64Tests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static readonly string[] Fixtures = ["arm64-512m", "arm64-512m-nokaslr"];

    public static IEnumerable<object[]> FixtureLevels() =>
        from f in Fixtures from l in new[] { 1, 2, 4, 8, 16, 31 } select new object[] { f, l };

    public static IEnumerable<object[]> EachFixture() => Fixtures.Select(f => new object[] { f });

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
    [MemberData(nameof(EachFixture))]
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

    [SkippableTheory]
    [MemberData(nameof(EachFixture))]
    public void Dmesg_EqualsMakedumpfileDumpDmesg(string fixture)
    {
        var theirs = System.IO.File.ReadAllText(File(fixture, "dmesg.makedumpfile.txt"));
        var ours = CliRunner.Run("dmesg", File(fixture, "vmcore.elf"));
        Assert.True(ours.ExitCode == 0, ours.Stderr);
        Assert.Equal(theirs, ours.Stdout);
    }
}
