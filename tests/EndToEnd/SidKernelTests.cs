using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Filtering a real dump of Debian sid's 7.x kernel (scripts/make-sid-fixture.sh), judged by the oracles that
/// know that kernel — Debian sid's crash 9.x and drgn 0.3 (scripts/make-sid-root.sh) on the unfiltered dump —
/// and not by makedumpfile, which files 7.x's slab tail pages as user data. Counts come from the same fixture's
/// unfiltered dump in the same run, never from one boot.
/// </summary>
[Collection("real vmcore")]
public sealed partial class SidKernelTests : IDisposable
{
    private const string Fixture = "x86_64-sid-512m";
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>A task line of crash's `ps`: PID, PPID, CPU, TASK address (the current task marked with '>').</summary>
    [GeneratedRegex(@"^[ >]*\d+\s+\d+\s+\d+\s+[0-9a-f]{16}\s", RegexOptions.Multiline)]
    private static partial Regex PsTask();

    [GeneratedRegex(@"^vmlinux: (\S+)", RegexOptions.Multiline)]
    private static partial Regex VmlinuxLine();

    private static readonly Lazy<int> UnfilteredTasks = new(() => Tasks(Source(), Vmlinux()));

    private static string Source() => RealTools.FixtureFile(Fixture, "vmcore.fixed.elf");

    private static string Vmlinux()
    {
        var info = File.ReadAllText(RealTools.FixtureFile(Fixture, "info.txt"));
        var v = VmlinuxLine().Match(info) is { Success: true } m ? m.Groups[1].Value : null;
        RealTools.Need(v is not null && File.Exists(v), $"the -dbg vmlinux named in {Fixture}/info.txt (scripts/make-sid-fixture.sh)");
        return v!;
    }

    private static int Tasks(string dump, string vmlinux)
    {
        var r = SidRoot.Crash(vmlinux, dump, "ps").Ok($"sid's crash on {dump}");
        return PsTask().Matches(r.Stdout).Count;
    }

    private string Convert(int level, string name, params string[] extra)
    {
        var outp = _dir.File(name);
        var r = CliRunner.Run(["convert", Source(), outp, "--dump-level", level.ToString(), "--compress", "lzo", "--force", .. extra]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return outp;
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(31)]
    public void Crash_ListsEveryTaskOfTheUnfilteredDump(int level)
    {
        var src = Source();
        int all = UnfilteredTasks.Value;
        Assert.True(all > 1, $"crash's ps on the unfiltered {src} listed {all} tasks");
        Assert.Equal(all, Tasks(Convert(level, $"d{level}.kdump"), Vmlinux()));
    }

    [SkippableFact]
    public void EveryPageExcludedAsUserData_IsAnonymousOrUserMapped_ByDrgn()
    {
        var r = CheckUserPages(Convert(0, "d0.kdump"), Convert(8, "d8.kdump"));
        Assert.True(r.ExitCode == 0, r.All);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.True(doc.RootElement.GetProperty("excluded_as_user").GetInt64() > 0, r.Stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("not_user_data").GetInt64());
    }

    [SkippableFact]
    public void TheUserDataCheck_RejectsPagesThatAreNotUserData()
    {
        // The oracle itself can fail: free pages (dump level 16) are neither anonymous nor mapped.
        var r = CheckUserPages(Convert(0, "d0.kdump"), Convert(16, "d16.kdump"));
        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.True(doc.RootElement.GetProperty("not_user_data").GetInt64() > 0, r.Stdout);
    }

    private RealTools.Result CheckUserPages(string all, string user) =>
        SidRoot.Python(RealTools.Script("check_user_pages.py"), Source(), Vmlinux(), all, user, RealTools.Shared("tools", "kdumppfns.py"));

    [SkippableFact]
    public void WithoutTheTailKey_TailsAreKept_OneLineNamesIt_EveryTaskListed()
    {
        var vi = VmcoreInfoText(Source());
        var lines = vi.Split('\n');
        var kept = lines.Where(l => !l.StartsWith("OFFSET(page.compound_info)=", StringComparison.Ordinal)
            && !l.StartsWith("OFFSET(page.compound_head)=", StringComparison.Ordinal)).ToArray();
        Assert.True(kept.Length < lines.Length, "the 7.x fixture's VMCOREINFO names a tail-page offset");
        var viFile = _dir.File("vmcoreinfo-without-tail-key.txt");
        File.WriteAllText(viFile, string.Join('\n', kept));

        var withKey = Convert(31, "d31.kdump");
        var outp = _dir.File("d31-no-tail-key.kdump");
        var r = CliRunner.Run("convert", Source(), outp, "--dump-level", "31", "--compress", "lzo", "--force", "--vmcoreinfo", viFile);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var warnings = r.Stderr.Split('\n').Where(l => l.StartsWith("hvdump: warning:", StringComparison.Ordinal)).ToArray();
        Assert.True(warnings.Length == 1, r.Stderr);
        Assert.Contains("OFFSET(page.compound_info)", warnings[0]);

        // The rules that read a tail's own words are off, so more pages stay than with the key.
        Assert.True(RealTools.DumpedPfns(outp) > RealTools.DumpedPfns(withKey), "pages kept without the key ⊋ with it");
        var slab = RealTools.Run(RealTools.SystemPython,
            [RealTools.Script("check_slab_kept.py"), Source(), outp, RealTools.Shared("tools", "kdumppfns.py")]);
        Assert.True(slab.ExitCode == 0, slab.All);
        Assert.Contains("\"slab_dropped_with_data\": 0", slab.Stdout);
        Assert.Equal(UnfilteredTasks.Value, Tasks(outp, Vmlinux()));
    }

    /// <summary>The VMCOREINFO note's text, found in the ELF by its first key as the kernel writes it.</summary>
    private static string VmcoreInfoText(string elf)
    {
        using var f = File.OpenRead(elf);
        var head = new byte[Math.Min(f.Length, 1 << 20)];
        f.ReadExactly(head);
        int at = head.AsSpan().IndexOf("OSRELEASE="u8);
        Assert.True(at >= 0, $"{elf}: no VMCOREINFO in its first MiB");
        int end = head.AsSpan(at).IndexOf((byte)0);
        return Encoding.ASCII.GetString(head, at, end < 0 ? head.Length - at : end);
    }
}
