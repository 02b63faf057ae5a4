using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.Cli;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// The invocations distro kdump scripts make, run verbatim against hvdump (through a symlink named
/// makedumpfile) and against the real makedumpfile 1.7.2: same dumped PFNs, and crash opens ours.
/// </summary>
[Collection("real vmcore")]
public sealed class MakedumpfileCliTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>A symlink named makedumpfile to the hvdump apphost: argv[0] selects the compatible command line.</summary>
    private string Ours()
    {
        var link = _dir.File("bin/makedumpfile");
        if (!File.Exists(link))
        {
            Directory.CreateDirectory(_dir.File("bin"));
            File.CreateSymbolicLink(link, Path.Combine(AppContext.BaseDirectory, "hvdump"));
        }
        return link;
    }

    private RealTools.Result Sh(string script) => RealTools.Run("/bin/sh", ["-c", script], timeoutSeconds: 600);

    private static void SamePfns(string ours, string theirs) => RealTools.SamePfns(ours, theirs);

    [SkippableTheory]
    [InlineData("debian-kdump-tools", "-F -c -d 31")]        // MAKEDUMP_ARGS default, piped through its compressor
    [InlineData("kdump-utils-ssh", "-F -l -d 31")]           // piped to ssh, rearranged on the far side
    [InlineData("opensuse", "-F -d 31")]                      // -F with its dump level
    public void Flattened_PipedThroughCompressorAndRearranged_SamePfnsAsMakedumpfile(string who, string args)
    {
        var vmcore = RealTools.FixtureFile("vmcore.fixed.elf");
        var md = RealTools.Tool("makedumpfile");
        string o = _dir.File(who + "-ours"), t = _dir.File(who + "-theirs");
        var a = Sh($"'{Ours()}' {args} '{vmcore}' | gzip -1 > '{o}.flat.gz' && gunzip -c '{o}.flat.gz' | '{Ours()}' -R '{o}.kdump'");
        Assert.True(a.ExitCode == 0, a.All);
        Assert.Contains("makedumpfile Completed.", a.Stdout);
        var b = Sh($"{md} {args} '{vmcore}' > '{t}.flat' && {md} -R '{t}.kdump' < '{t}.flat'");
        Assert.True(b.ExitCode == 0, b.All);
        SamePfns(o + ".kdump", t + ".kdump");
        var c = RealTools.Crash(o + ".kdump", "sys", "log");
        Assert.Matches(@"RELEASE: 6\.1\.0-", c.All);
    }

    [SkippableFact]
    public void KdumpUtils_Lzo_MessageLevel7_SamePfnsAndCrashOpens()
    {
        var vmcore = RealTools.FixtureFile("vmcore.fixed.elf");
        string o = _dir.File("ku-ours.kdump"), t = _dir.File("ku-theirs.kdump");
        var a = RealTools.Run(Ours(), ["-l", "--message-level", "7", "-d", "31", vmcore, o]);
        Assert.True(a.ExitCode == 0, a.All);
        Assert.Contains($"The dumpfile is saved to {o}.", a.Stdout);
        RealTools.Run(RealTools.Tool("makedumpfile"), ["-l", "--message-level", "7", "-d", "31", vmcore, t]).Ok("makedumpfile -l");
        SamePfns(o, t);
        Assert.Matches(@"RELEASE: 6\.1\.0-", RealTools.Crash(o, "sys").All);
    }

    [SkippableFact]
    public void DumpDmesg_SameFileAsMakedumpfile()
    {
        var vmcore = RealTools.FixtureFile("vmcore.fixed.elf");
        string o = _dir.File("dmesg-ours"), t = _dir.File("dmesg-theirs");
        RealTools.Run(Ours(), ["--dump-dmesg", vmcore, o]).Ok("hvdump as makedumpfile --dump-dmesg");
        RealTools.Run(RealTools.Tool("makedumpfile"), ["--dump-dmesg", vmcore, t]).Ok("makedumpfile --dump-dmesg");
        Assert.Equal(File.ReadAllText(t), File.ReadAllText(o));
    }

    [SkippableFact]
    public void MessageLevel31_ReportHasMakedumpfilesShape()
    {
        var vmcore = RealTools.FixtureFile("vmcore.fixed.elf");
        var r = RealTools.Run(Ours(), ["-c", "-d", "31", "--message-level", "31", vmcore, _dir.File("ml31")]).Ok("hvdump as makedumpfile");
        foreach (var label in new[] { "Original pages  : 0x", "  Excluded pages   : 0x", "    Pages filled with zero  : 0x", "    Non-private cache pages : 0x",
                     "    Private cache pages     : 0x", "    User process data pages : 0x", "    Free pages              : 0x", "  Remaining pages  : 0x",
                     "  (The number of pages is reduced to ", "Total pages     : 0x" })
            Assert.Contains(label, r.Stdout);
        // The reduction depends on what the guest had in memory: the oracle is makedumpfile on the same fixture.
        var theirs = RealTools.Run(RealTools.Tool("makedumpfile"), ["-c", "-d", "31", "--message-level", "31", vmcore, _dir.File("ml31-md")])
            .Ok("makedumpfile -c -d 31");
        var reduced = System.Text.RegularExpressions.Regex.Match(theirs.All, @"\(The number of pages is reduced to \d+%\.\)");
        Assert.True(reduced.Success, "makedumpfile printed no reduction line: " + theirs.All);
        Assert.Contains(reduced.Value, r.Stdout);
    }

    [Fact]
    public void Conventions_ExistingFileRefusedWithoutF_RefusedOptionsOneLine_MootAccepted()
    {
        var sample = Samples.Elf;
        var outp = _dir.File("exists.kdump");
        File.WriteAllText(outp, "keep me");
        var r = CliRunner.Run("makedumpfile", "-c", "-d", "1", sample, outp);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("File exists", r.Stderr);
        Assert.Contains("makedumpfile Failed.", r.Stdout);
        Assert.Equal("keep me", File.ReadAllText(outp));
        Assert.Equal(0, CliRunner.Run("makedumpfile", "-c", "-d", "1", "-f", sample, outp).ExitCode);

        var refused = CliRunner.Run("makedumpfile", "--eppic", "x.c", sample, _dir.File("x"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Single(refused.Stderr.TrimEnd().Split('\n'));

        var moot = CliRunner.Run("makedumpfile", "-D", "--cyclic-buffer", "1024", "--non-mmap", "-ld31", sample, _dir.File("m"));
        Assert.Equal(0, moot.ExitCode);
        Assert.Contains("--cyclic-buffer accepted and ignored", moot.Stderr);
    }

    /// <summary>
    /// --split with a 512 MiB splitblock on the 2 GiB dump: the same ranges as makedumpfile's,
    /// crash opens the set, and makedumpfile --reassemble of ours dumps the same PFNs as its own
    /// unsplit run; our --reassemble of makedumpfile's set reads page-equal to that run.
    /// </summary>
    [SkippableFact]
    public void Split_SameRangesAsMakedumpfile_CrashOpens_ReassemblesBothWays()
    {
        var vmcore = RealTools.FixtureFile("x86_64-2g", "vmcore.fixed.elf");
        var md = RealTools.Tool("makedumpfile");
        string[] ours = [_dir.File("s1"), _dir.File("s2"), _dir.File("s3")];
        string[] theirs = [_dir.File("m1"), _dir.File("m2"), _dir.File("m3")];
        var a = RealTools.Run(Ours(), ["--split", "--splitblock-size", "524288", "-c", "-d", "31", vmcore, .. ours]).Ok("hvdump as makedumpfile --split");
        Assert.Contains($"The dumpfiles are saved to {ours[0]}, {ours[1]}, and {ours[2]}.", a.Stdout);
        RealTools.Run(md, ["--split", "--splitblock-size", "524288", "-c", "-d", "31", vmcore, .. theirs]).Ok("makedumpfile --split");
        // Where the splits fall depends on how many pages the boot left dumpable: makedumpfile on the
        // same fixture is the oracle, and for every boot the ranges tile [0, max_mapnr) in order.
        ulong next = 0;
        for (int i = 0; i < 3; i++)
        {
            static (ulong Start, ulong End) Range(string f)
            {
                var m = System.Text.RegularExpressions.Regex.Match(RealTools.Hvdump("info", f), @"split: +PFN (\d+)–(\d+)");
                Assert.True(m.Success, $"hvdump info {f} shows no split range");
                return (ulong.Parse(m.Groups[1].Value), ulong.Parse(m.Groups[2].Value));
            }
            var mine = Range(ours[i]);
            Assert.Equal(Range(theirs[i]), mine);
            Assert.Equal(next, mine.Start);
            Assert.True(mine.End >= mine.Start, $"split {i}: {mine}");
            next = mine.End;
        }
        using (var last = DumpProbe.Open(ours[2])) Assert.Equal(last.MaxPfn, next);

        var whole = _dir.File("whole.kdump");
        RealTools.Run(md, ["-c", "-d", "31", vmcore, whole]).Ok("makedumpfile -c -d 31");
        var mdReassembled = _dir.File("md-reassembled.kdump");
        var r = RealTools.Run(md, ["--reassemble", .. ours, mdReassembled]);
        Assert.True(r.ExitCode == 0, r.All);
        SamePfns(mdReassembled, whole);
        var ourReassembled = _dir.File("our-reassembled.kdump");
        var o = RealTools.Run(Ours(), ["--reassemble", .. theirs, ourReassembled]);
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Contains("same", CliRunner.Run("diff", ourReassembled, whole).Stdout);

        var c = RealTools.CrashSet(ours, "sys", "kmem -i");
        Assert.Matches(@"RELEASE: 6\.1\.0-", c.All);
        Assert.Contains("[PARTIAL DUMP]", c.Stdout);
    }

    [Fact]
    public void Reassemble_MissingOrForeignFile_OneLineExit1()
    {
        // Three split files of the sample: all PFNs in the first, as makedumpfile does with its 1 GiB splitblock.
        string[] parts = [_dir.File("p1"), _dir.File("p2"), _dir.File("p3")];
        var s = CliRunner.Run("makedumpfile", "--split", "-l", "-d", "1", Samples.Elf, parts[0], parts[1], parts[2]);
        Assert.True(s.ExitCode == 0, s.Stdout + s.Stderr);
        var whole = _dir.File("whole");
        Assert.Equal(0, CliRunner.Run("makedumpfile", "--reassemble", parts[0], parts[1], parts[2], whole).ExitCode);
        Assert.Contains("same", CliRunner.Run("diff", whole, Samples.Elf).Stdout);

        var missing = CliRunner.Run("makedumpfile", "--reassemble", parts[1], parts[2], _dir.File("x"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Single(missing.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("start_pfn_64", missing.Stderr);
        Assert.False(File.Exists(_dir.File("x")));

        var foreign = CliRunner.Run("makedumpfile", "--reassemble", parts[0], Samples.Elf, _dir.File("y"));
        Assert.Equal(1, foreign.ExitCode);
        Assert.Single(foreign.Stderr.TrimEnd().Split('\n'));

        var tooFew = CliRunner.Run("makedumpfile", "--split", "-d", "1", Samples.Elf, _dir.File("only-one"));
        Assert.Equal(1, tooFew.ExitCode);
        Assert.Contains("at least two", tooFew.Stderr);
    }

    [SkippableFact]
    public void WrongOptionAndMissingFile_SameExitCodeAsMakedumpfile_OneLine()
    {
        var md = RealTools.Tool("makedumpfile");
        foreach (var args in new[] { new[] { "--bogus", Samples.Elf, _dir.File("b1") }, ["-c", "-d", "31", _dir.File("absent"), _dir.File("b2")] })
        {
            int theirs = RealTools.Run(md, args).ExitCode;
            var ours = CliRunner.Run(["makedumpfile", .. args]);
            Assert.Equal(theirs, ours.ExitCode);
            Assert.Equal(1, ours.ExitCode);
            Assert.Single(ours.Stderr.TrimEnd().Split('\n'));
        }
    }

    [Fact]
    public void MissingVmcore_OneLineExit1()
    {
        var r = CliRunner.Run("makedumpfile", "-c", "-d", "31", _dir.File("no-such-vmcore"), _dir.File("out"));
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("no-such-vmcore", r.Stderr);
        Assert.Contains("makedumpfile Failed.", r.Stdout);
        Assert.False(File.Exists(_dir.File("out")));
    }

    [Fact]
    public void FallbackLevels_LimitReached_NextLevelUsed()
    {
        var outp = _dir.File("fallback.kdump");
        // 0 needs every page; 31 fits in far less.
        var r = CliRunner.Run("makedumpfile", "-d", "0,31", "-L", "190K", Samples.Elf, outp);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("retrying with dump level 31", r.Stderr);
        using var k = (HvDumpKit.Reader.Kdump.KdumpDumpSource)HvDumpKit.Reader.DumpProbe.Open(outp);
        Assert.Equal(31, k.Kdump.DumpLevel);
    }
}
