using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// A real Debian 12 kdump through the distro's own path (scripts/make-debian-kdump-image.sh): our
/// packages installed with dpkg -i in a debootstrapped image, kdump-tools.service loading the capture
/// kernel, sysrq-c, and kdump-tools-dump.service running `kdump-config savecore` there. Once with
/// hvdump-makedumpfile installed (our makedumpfile), once with it removed (Debian's). The host reads
/// what the capture wrote to the image's /var/crash: the real makedumpfile rearranges the -F stream,
/// crash opens it and sees the sysrq panic, hvdump verify passes, the dmesg file is the kernel log.
/// </summary>
[Collection("real vmcore")]
public sealed class DebianKdumpBootTests : IDisposable
{
    public const string WithDropin = "debian-kdump-hvdump", WithoutDropin = "debian-kdump-makedumpfile";
    public static IEnumerable<object[]> Runs() => [[WithDropin], [WithoutDropin]];

    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static string Dir(string run) => Path.GetDirectoryName(RealTools.FixtureFile(run, "timing.txt"))!;

    /// <summary>kdump-config's dump.STAMP and dmesg.STAMP in the one stamp directory the capture made.</summary>
    private static (string Dump, string Dmesg) Saved(string run)
    {
        var crash = Path.Combine(Dir(run), "crash");
        Assert.True(Directory.Exists(crash), $"{run}: the image has no /var/crash");
        var stamp = Assert.Single(Directory.GetDirectories(crash));
        string s = Path.GetFileName(stamp);
        // dump.STAMP is makedumpfile's; vmcore.STAMP would be kdump-config's cp fallback after a failed makedumpfile.
        Assert.False(File.Exists(Path.Combine(stamp, "vmcore." + s)), $"{run}: makedumpfile failed in the capture kernel (cp fallback)");
        return (Path.Combine(stamp, "dump." + s), Path.Combine(stamp, "dmesg." + s));
    }

    private string Rearranged(string run)
    {
        var kdump = _dir.File(run + ".kdump");
        RealTools.Run(RealTools.Tool("makedumpfile"), ["-R", kdump], stdinFile: Saved(run).Dump).Ok("makedumpfile -R");
        return kdump;
    }

    private static string Console(string run) => File.ReadAllText(RealTools.FixtureFile(run, "console.log"));

    [SkippableTheory]
    [MemberData(nameof(Runs))]
    public void KdumpConfigSavecore_WroteDumpAndDmesg(string run)
    {
        Assert.Contains("complete=1", File.ReadAllText(RealTools.FixtureFile(run, "timing.txt")));
        var (dump, dmesg) = Saved(run);
        Assert.True(File.Exists(dump), $"{run}: no {dump}");
        Assert.True(File.Exists(dmesg), $"{run}: no {dmesg}");
        Assert.Contains("saved vmcore in /var/crash/", Console(run));
    }

    /// <summary>With the drop-in, the capture kernel's console shows hvdump writing both files; without it, Debian's makedumpfile.</summary>
    [SkippableFact]
    public void DropIn_HvdumpRanInTheCaptureKernel_AndWithoutIt_DebiansMakedumpfile()
    {
        var ours = Console(WithDropin);
        Assert.Matches(@"hvdump \S+: makedumpfile command line, kernel log of \d+ records", ours);
        Assert.Matches(@"hvdump \S+: makedumpfile command line, \d+ pages at dump level 31", ours);
        Assert.Contains("(hvdump)", File.ReadAllText(RealTools.FixtureFile(WithDropin, "makedumpfile-v.txt")));
        Assert.Matches(@"hvdump-makedumpfile \S+ install ok installed", File.ReadAllText(RealTools.FixtureFile(WithDropin, "dpkg.txt")));

        Assert.DoesNotContain("makedumpfile command line", Console(WithoutDropin));
        var v = File.ReadAllText(RealTools.FixtureFile(WithoutDropin, "makedumpfile-v.txt"));
        Assert.Contains("version 1.7.", v);
        Assert.DoesNotContain("hvdump", v);
    }

    [SkippableTheory]
    [MemberData(nameof(Runs))]
    public void Dump_OpensInCrash_SysrqPanic_VerifyPasses(string run)
    {
        var kdump = Rearranged(run);
        var c = RealTools.Crash(kdump, "sys");
        Assert.Matches(@"RELEASE: 6\.1\.0-", c.All);
        Assert.Matches(@"PANIC: .*sysrq", c.All);
        var v = CliRunner.Run("verify", Saved(run).Dump);
        Assert.True(v.ExitCode == 0, v.Stdout + v.Stderr);
    }

    /// <summary>The dmesg file equals what Debian's makedumpfile --dump-dmesg reads from the saved dump, and holds the crash.</summary>
    [SkippableTheory]
    [MemberData(nameof(Runs))]
    public void DmesgFile_IsTheKernelLog(string run)
    {
        var oracle = _dir.File(run + ".dmesg");
        RealTools.Run(RealTools.Tool("makedumpfile"), ["--dump-dmesg", Rearranged(run), oracle]).Ok("makedumpfile --dump-dmesg");
        var saved = File.ReadAllText(Saved(run).Dmesg);
        Assert.Equal(File.ReadAllText(oracle), saved);
        Assert.Contains("sysrq: Trigger a crash", saved);
    }
}
