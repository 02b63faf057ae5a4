using System.Text.RegularExpressions;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// A real kexec kdump capture (scripts/make-kdump-fixture.sh): the published hvdump and Debian's
/// makedumpfile ran one after another inside the capture kernel (nr_cpus=1, crashkernel=192M) on
/// the kernel's own /proc/vmcore, loaded with kexec_load and with kexec_file_load. The host checks
/// what they wrote there: every run succeeded, the same PFNs as makedumpfile, crash opens ours and
/// sees the sysrq panic, libkdumpfile reads our ELF page-equal to /proc/vmcore as cp copied it.
/// </summary>
[Collection("real vmcore")]
public sealed partial class CaptureKernelTests
{
    public static readonly string[] Captures = ["kdump-load-192m-1cpu", "kdump-file-192m-1cpu"];
    public static IEnumerable<object[]> Fixtures() => Captures.Select(c => new object[] { c });

    [GeneratedRegex(@"^(\S+) rc=(\d+) seconds=(\S+) maxrss_kib=(\d+)", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    private static Dictionary<string, (int Rc, string Seconds, long RssKiB)> Results(string capture)
    {
        var text = File.ReadAllText(RealTools.FixtureFile(capture, "results.txt"));
        return ResultLine().Matches(text).ToDictionary(m => m.Groups[1].Value,
            m => (int.Parse(m.Groups[2].Value), m.Groups[3].Value, long.Parse(m.Groups[4].Value)));
    }

    private static string Out(string capture, string name) => RealTools.FixtureFile(capture, name);

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void EveryRun_SucceededInTheCaptureKernel(string capture)
    {
        var results = Results(capture);
        foreach (var run in File.ReadAllLines(Path.Combine(Repo.Root, "scripts", "kdump-runs.txt")).Where(l => l.Length > 0 && l[0] != '#'))
        {
            string name = run.Split(' ')[0];
            Assert.True(results.ContainsKey(name), $"{capture}: run {name} has no result");
            var stderr = Path.Combine(Path.GetDirectoryName(Out(capture, "results.txt"))!, name + ".stderr");
            Assert.True(results[name].Rc == 0, $"{capture}: {name} exited {results[name].Rc}: {(File.Exists(stderr) ? File.ReadAllText(stderr) : "")}");
        }
        Assert.Contains("kexec_crash_loaded=1", File.ReadAllText(Out(capture, "console.log")));
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void Level31_SamePfnsAsMakedumpfileInTheSameCaptureKernel(string capture)
    {
        RealTools.SamePfns(Out(capture, "hv-l31.kdump"), Out(capture, "md-l31.kdump"));
        RealTools.SamePfns(Out(capture, "hv-c31.kdump"), Out(capture, "md-c31.kdump"));
        RealTools.SamePfns(Out(capture, "hv-z31.kdump"), Out(capture, "md-l31.kdump"));
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void Crash_OpensOurKdumpAndElf_SeesTheSysrqPanic(string capture)
    {
        foreach (var f in new[] { "hv-l31.kdump", "hv-c31.kdump", "hv-E0.elf" })
        {
            var r = RealTools.Crash(Out(capture, f), "sys");
            Assert.Matches(@"RELEASE: 6\.1\.0-", r.All);
            Assert.Matches(@"PANIC: .*sysrq", r.All);
            Assert.DoesNotContain("page excluded", r.All);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void Libkdumpfile_ReadsOurElfEqualToProcVmcore(string capture)
    {
        // A page /proc/vmcore has only in part (PFN 0x9f with kexec_load) is no page of makedumpfile's dump, nor ours.
        RealTools.LibkdumpfileSamePages(Out(capture, "vmcore"), Out(capture, "hv-E0.elf"), reference: Out(capture, "md-E0.elf"));
    }

    /// <summary>(vaddr, paddr, filesz, memsz) of every PT_LOAD, by readelf: the oracle for an ELF output's shape.</summary>
    internal static List<string> Loads(string elf)
    {
        var r = RealTools.Run(RealTools.Tool("readelf"), ["-lW", elf]).Ok("readelf -l " + elf);
        return r.Stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[0] == "LOAD").Select(f => $"{f[2]} {f[3]} {f[4]} {f[5]}").ToList();
    }

    /// <summary>
    /// Our ELF of the kernel's own /proc/vmcore has makedumpfile -E's shape: the kernel-image PT_LOAD
    /// (vaddr the KASLR'd _stext) and every segment's exact bounds — with kexec_load a PT_LOAD that
    /// ends inside a page keeps its MemSiz and claims no byte the source did not have.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void Elf_SameProgramHeadersAsMakedumpfileE(string capture)
    {
        var theirs = Loads(Out(capture, "md-E0.elf"));
        Assert.Contains(theirs, l => l.Split(' ')[0].StartsWith("0xffffffff", StringComparison.Ordinal)); // the kernel image
        Assert.Equal(theirs, Loads(Out(capture, "hv-E0.elf")));
    }

    /// <summary>
    /// Encrypted in the capture kernel (no libssl there; getrandom for the file key): Debian's age
    /// decrypts it with the test identity, and the dump inside has makedumpfile's PFNs; our reader opens it directly too.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void Encrypted_AgeDecryptsIt_SamePfnsAsMakedumpfile(string capture)
    {
        var identity = Builders.Repo.TestData("age", "capture-test-identity.txt");
        RealTools.Tool("age");
        var plain = Path.Combine(Path.GetTempPath(), $"hvdump-capture-{Guid.NewGuid():N}.kdump");
        try
        {
            RealTools.Run("/bin/sh", ["-c", $"age -d -i '{identity}' '{Out(capture, "hv-l31.kdump.age")}' > '{plain}'"]).Ok("age -d");
            RealTools.SamePfns(plain, Out(capture, "md-l31.kdump"));
            Assert.Equal(0, CliRunner.Run("diff", plain, Out(capture, "hv-l31.kdump.age"), "--identity", identity).ExitCode);
        }
        finally { File.Delete(plain); }
    }

    /// <summary>Pages whose bytes an ELF file holds, from readelf's PT_LOADs (the kernel image's duplicate of the direct map left out).</summary>
    internal static long FileBackedPages(string elf, int pageSize)
    {
        var r = RealTools.Run(RealTools.Tool("readelf"), ["-lW", elf]).Ok("readelf -l " + elf);
        return r.Stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[0] == "LOAD" && !f[2].StartsWith("0xffffffff", StringComparison.Ordinal))
            .Sum(f => (long)(System.Convert.ToUInt64(f[4], 16) / (ulong)pageSize));
    }
}
