using System.Globalization;
using System.Text.RegularExpressions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Dump levels against makedumpfile 1.7.2 on the real QEMU vmcore: the same dumped PFNs (compared
/// by ../shared/tools/kdumppfns.py, independent of our reader) and the same per-class counts.
/// </summary>
[Collection("real vmcore")]
public sealed partial class FilteringTests(ConvertedOutputs outputs) : IClassFixture<ConvertedOutputs>
{
    [GeneratedRegex(@"^\s*(Pages filled with zero|Non-private cache pages|Private cache pages|User process data pages|Free pages|Remaining pages)\s*:\s*0x([0-9a-f]+)", RegexOptions.Multiline)]
    private static partial Regex ReportLine();

    private static Dictionary<string, ulong> Report(string text) =>
        ReportLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber));

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(31)]
    public void DumpLevel_SamePfnsAndCountsAsMakedumpfile(int level)
    {
        var md = RealTools.Tool("makedumpfile");
        var src = RealTools.FixtureFile("vmcore.fixed.elf");
        var mdOut = outputs.Dir.File($"md-d{level}.kdump");
        var hvOut = outputs.Dir.File($"hv-d{level}.kdump");
        File.Delete(mdOut);
        var m = RealTools.Run(md, ["-c", "-d", level.ToString(CultureInfo.InvariantCulture), "--message-level", "31", src, mdOut], timeoutSeconds: 300);
        Assert.True(m.ExitCode == 0, m.All);
        var h = CliRunner.Run("convert", src, hvOut, "--format", "kdump", "--compress", "zlib", "--dump-level", level.ToString(CultureInfo.InvariantCulture), "--stats", "--force");
        Assert.True(h.ExitCode == 0, h.Stderr);
        var cmp = RealTools.Run(RealTools.SystemPython, [Repo.Shared("tools", "kdumppfns.py"), "--cmp", hvOut, mdOut]);
        Assert.True(cmp.ExitCode == 0, cmp.All);
        Assert.Contains("\"only_a\": 0, \"only_b\": 0", cmp.Stdout);
        var theirs = Report(m.All);
        var ours = Report(h.Stderr);
        Assert.Equal(6, theirs.Count);
        Assert.Equal(theirs, ours);
    }

    [SkippableFact]
    public void Crash_SameAnswersOnOurs31AsOnMakedumpfiles31()
    {
        var md = RealTools.Tool("makedumpfile");
        var src = RealTools.FixtureFile("vmcore.fixed.elf");
        var mdOut = outputs.Dir.File("md-crash-d31.kdump");
        File.Delete(mdOut);
        Assert.Equal(0, RealTools.Run(md, ["-c", "-d", "31", src, mdOut], timeoutSeconds: 300).ExitCode);
        var ours = outputs.Get("kdump-zlib-d31");
        string[] cmds = ["sys", "log", "kmem -i", "list task_struct.tasks -h init_task"];
        var a = RealTools.Crash(ours, cmds);
        var b = RealTools.Crash(mdOut, cmds);
        Assert.DoesNotContain("page excluded", a.All);
        Assert.Matches(@"RELEASE: 6\.1\.0-", a.All);
        static string Stable(string s) => string.Join('\n', s.Split('\n').Where(l => !l.Contains("DUMPFILE") && !l.Contains("bt:") && !l.Contains("LOAD AVERAGE")));
        Assert.Equal(Stable(b.Stdout), Stable(a.Stdout));
    }

    [SkippableFact]
    public void Drgn_WalksTasksOnOurs31()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "check_drgn.py");
        var r = RealTools.Run(RealTools.SystemPython, [script, outputs.Get("kdump-zlib-d31"), RealTools.Vmlinux()], timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Matches(@"tasks=[1-9][0-9]", r.Stdout);
    }
}
