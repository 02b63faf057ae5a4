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

    public static IEnumerable<object[]> FixtureLevels() =>
        from f in RealTools.AllFixtures
        from l in new[] { 1, 2, 4, 8, 16, 31 }
        select new object[] { f, l };

    /// <summary>KASLR on and off, 4- and 5-level paging, 256 MiB to 2 GiB (scripts/test.sh builds them all).</summary>
    [SkippableTheory]
    [MemberData(nameof(FixtureLevels))]
    public void DumpLevel_SamePfnsAndCountsAsMakedumpfile(string fixture, int level)
    {
        var md = RealTools.Tool("makedumpfile");
        var src = RealTools.FixtureFile(fixture, "vmcore.fixed.elf");
        var mdOut = outputs.Dir.File($"md-{fixture}-d{level}.kdump");
        var hvOut = outputs.Dir.File($"hv-{fixture}-d{level}.kdump");
        File.Delete(mdOut);
        var m = RealTools.Run(md, ["-l", "-d", level.ToString(CultureInfo.InvariantCulture), "--message-level", "31", src, mdOut], timeoutSeconds: 600)
            .Ok("makedumpfile -l");
        var h = CliRunner.Run("convert", src, hvOut, "--format", "kdump", "--compress", "lzo", "--dump-level", level.ToString(CultureInfo.InvariantCulture), "--stats", "--force");
        Assert.True(h.ExitCode == 0, h.Stderr);
        RealTools.SamePfns(hvOut, mdOut);
        var theirs = Report(m.All);
        var ours = Report(h.Stderr);
        Assert.Equal(6, theirs.Count);
        Assert.Equal(theirs, ours);
        File.Delete(mdOut);
        File.Delete(hvOut);
    }

    [SkippableFact]
    public void NoBuddyPageType_FallsBackToFreeListsLikeMakedumpfile()
    {
        // The same dump with NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE) renamed (same length, so nothing moves).
        var src = RealTools.FixtureFile("vmcore.fixed.elf");
        var patched = outputs.Dir.File("nobuddy.elf");
        File.Copy(src, patched, overwrite: true);
        using (var fs = new FileStream(patched, FileMode.Open, FileAccess.ReadWrite))
        {
            var head = new byte[1 << 16];
            int n = fs.Read(head);
            var key = "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)="u8.ToArray();
            int at = head.AsSpan(0, n).IndexOf(key);
            Assert.True(at > 0);
            fs.Position = at + "NUMBER(PAGE_BUDD".Length;
            fs.WriteByte((byte)'X');
        }
        var md = RealTools.Tool("makedumpfile");
        var mdOut = outputs.Dir.File("md-nobuddy.kdump");
        var hvOut = outputs.Dir.File("hv-nobuddy.kdump");
        File.Delete(mdOut);
        var m = RealTools.Run(md, ["-l", "-d", "16", "--message-level", "31", patched, mdOut], timeoutSeconds: 300).Ok("makedumpfile -l -d 16");
        var h = CliRunner.Run("convert", patched, hvOut, "--compress", "lzo", "--dump-level", "16", "--stats", "--force");
        Assert.True(h.ExitCode == 0, h.Stderr);
        Assert.Contains("free pages taken from the zone free lists", h.Stderr);
        RealTools.SamePfns(hvOut, mdOut);
        Assert.Equal(Report(m.All)["Free pages"], Report(h.Stderr)["Free pages"]);
        File.Delete(patched);
    }

    [SkippableFact]
    public void Crash_SameAnswersOnOurs31AsOnMakedumpfiles31()
    {
        var md = RealTools.Tool("makedumpfile");
        var src = RealTools.FixtureFile("vmcore.fixed.elf");
        var mdOut = outputs.Dir.File("md-crash-d31.kdump");
        File.Delete(mdOut);
        RealTools.Run(md, ["-c", "-d", "31", src, mdOut], timeoutSeconds: 300).Ok("makedumpfile -c -d 31");
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
        // -d 31 keeps every task: drgn lists as many on it as on makedumpfile's unfiltered file of the same fixture.
        Assert.Equal(RealVmcoreTests.DrgnTasks(RealVmcoreTests.MakedumpfileLevel0(outputs)), RealVmcoreTests.DrgnTasks(outputs.Get("kdump-zlib-d31")));
    }
}
