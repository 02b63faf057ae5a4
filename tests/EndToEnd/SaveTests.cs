using System.Diagnostics;
using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.Cli;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// `hvdump save` as a separate process against the kernel double (tests/ReleaseDouble), on the
/// real QEMU vmcore with a region map that relocates boot memory to a high address as the design does.
/// </summary>
[Collection("real vmcore")]
public sealed class SaveTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    // 64 MiB of boot memory copied to 0x80000000; the rest of the 512 MiB left in place; CPU and HPTE areas.
    private const string Map = "CPU:0x84000000-0x10000: HPTE:0x84010000-0x1000: DUMP:0x80000000-0x4000000, 0x4000000-0x1C000000\n";
    private const ulong ExpectedBytes = 0x4000000 + 0x1C000000 + 0x10000 + 0x1000;

    /// <summary>A target directory, the region map, the release FIFO and the double's log for one save (or series of saves).</summary>
    private (string Log, string Target, string Fifo, string MapPath) Prepare(string name)
    {
        var target = _dir.File(name);
        Directory.CreateDirectory(target);
        var map = _dir.File(name + ".map");
        File.WriteAllText(map, Map);
        var fifo = _dir.File(name + ".fifo");
        Assert.Equal(0, RealTools.Run(RealTools.Tool("mkfifo"), [fifo]).ExitCode);
        return (_dir.File(name + ".log"), target, fifo, map);
    }

    private (Process Double, string Log, string Target, string Fifo, string MapPath) Start(string name)
    {
        var (log, target, fifo, map) = Prepare(name);
        return (StartDouble(fifo, map, target, log), log, target, fifo, map);
    }

    private static string[] SaveArgs(string fifo, string map, string target, params string[] more) =>
        [Samples.HvdumpDll, "save", "--vmcore", RealTools.FixtureFile("vmcore.elf"), "--region-map", map, "--release-file", fifo, "--checkpoint", "2048", .. more, target];

    [SkippableTheory]
    [InlineData("kdump")]
    [InlineData("elf")]
    [InlineData("flat")]
    [InlineData("raw")]
    public void Save_EveryByteReleasedOnceAfterItsPfnsAreDurable_OutputOpensInCrash(string format)
    {
        var (dbl, log, target, fifo, map) = Start("full-" + format);
        var r = RealTools.Run("dotnet", SaveArgs(fifo, map, target, "--format", format), timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.True(dbl.WaitForExit(60_000));
        var lines = File.ReadAllLines(log);
        Assert.DoesNotContain(lines, l => l.StartsWith("ERROR", StringComparison.Ordinal));
        ulong total = lines.Select(l => l.Split(' ')).Aggregate(0UL, (a, p) => a + System.Convert.ToUInt64(p[2], 16));
        Assert.Equal(ExpectedBytes, total);
        var dir = Directory.GetDirectories(target).Single();
        Assert.True(File.Exists(Path.Combine(dir, "vmcore-dmesg.txt")));
        using (var status = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "status.json"))))
        {
            Assert.Equal("complete", status.RootElement.GetProperty("outcome").GetString());
            Assert.True(status.RootElement.GetProperty("time_to_release").GetArrayLength() > 5);
        }
        var vmcore = Path.Combine(dir, "vmcore");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(vmcore));
        if (format == "flat")
        {
            // crash reads kdump files: the stream goes through the real makedumpfile -R first.
            var rearranged = _dir.File("saved-rearranged.kdump");
            var re = RealTools.Run(RealTools.Tool("makedumpfile"), ["-R", rearranged], stdinFile: vmcore);
            Assert.True(re.ExitCode == 0, re.All);
            vmcore = rearranged;
        }
        if (format == "raw")
        {
            // crash reads a raw image with the KASLR offset and phys_base VMCOREINFO states.
            using var img = DumpProbe.Open(vmcore);
            var vi = img.VmcoreInfo!;
            var cr = RealTools.CrashWith([$"--kaslr=0x{vi.KernelOffset:x}", "-m", $"phys_base=0x{vi.PhysBase:x}"], vmcore + "@0", "sys");
            Assert.Matches(@"RELEASE: 6\.1\.0-", cr.All);
            return;
        }
        var c = RealTools.Crash(vmcore, "sys", "log");
        Assert.Matches(@"RELEASE: 6\.1\.0-", c.All);
    }

    /// <summary>
    /// A run killed after it finished leaves a complete save: --resume must not start a new one
    /// (that would release every range a second time) — it says so and exits 0.
    /// </summary>
    [SkippableFact]
    public async Task Save_ResumeAfterComplete_ReleasesNothingAgain()
    {
        var (dbl, log, target, fifo, map) = Start("resume-complete");
        var r = RealTools.Run("dotnet", SaveArgs(fifo, map, target, "--dump-level", "31"), timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.All);
        await StopDouble(dbl, fifo);
        int before = File.ReadAllLines(log).Length;
        dbl = StartDouble(fifo, map, target, log);
        var again = RealTools.Run("dotnet", SaveArgs(fifo, map, target, "--dump-level", "31", "--resume"), timeoutSeconds: 300);
        await StopDouble(dbl, fifo);
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("complete; nothing to do", again.Stderr);
        Assert.Equal(before, File.ReadAllLines(log).Length);
        Assert.Single(Directory.GetDirectories(target));
    }

    /// <summary>
    /// SIGKILL at a moment chosen from the save's own progress — once the double has accepted
    /// <paramref name="releasesBeforeKill"/> releases — never after a fixed sleep, which on a slow
    /// machine can come before anything happened and check nothing.
    /// </summary>
    [SkippableTheory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Save_KilledAtRandom_NothingReleasedBeforeDurable(int releasesBeforeKill)
    {
        var (dbl, log, target, fifo, map) = Start($"kill{releasesBeforeKill}");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in SaveArgs(fifo, map, target, "--compress", "zlib", "--dump-level", "0")) psi.ArgumentList.Add(a);
        using var save = Process.Start(psi)!;
        var stderr = save.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!save.HasExited && Accepted(log) < releasesBeforeKill && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(5);
        // The map gives the save ten release units; one that finished before the kill still had every release checked.
        if (!save.HasExited) save.Kill(); // SIGKILL
        save.WaitForExit();
        await StopDouble(dbl, fifo);
        var lines = File.ReadAllLines(log);
        // The double checked, at each release, that the PFNs were already readable and equal to the source.
        Assert.DoesNotContain(lines, l => l.StartsWith("ERROR", StringComparison.Ordinal));
        var okd = lines.Where(l => l.StartsWith("OK ", StringComparison.Ordinal)).Select(l => l.Split(' ')).Select(p => $"{p[1]} {p[2]}").ToHashSet();
        Assert.True(okd.Count >= releasesBeforeKill, $"only {okd.Count} releases were checked");
        var dir = Directory.GetDirectories(target).Single();
        var journal = File.ReadAllLines(Path.Combine(dir, "release.journal"));
        var done = journal.Where(l => l.StartsWith("done", StringComparison.Ordinal)).Select(l => l[5..]).ToHashSet();
        Assert.Subset(okd, done); // every completion the journal records reached the kernel
        var output = File.Exists(Path.Combine(dir, "vmcore")) ? Path.Combine(dir, "vmcore") : Path.Combine(dir, "vmcore-incomplete");
        Assert.True(File.Exists(output), "memory was released but no output exists");
        using var d = DumpProbe.Open(output);
        Assert.NotNull(d.VmcoreInfo);
    }

    /// <summary>Releases the double has accepted so far (it writes and flushes one log line per release).</summary>
    private static int Accepted(string log)
    {
        if (!File.Exists(log)) return 0;
        try
        {
            using var f = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var r = new StreamReader(f);
            int n = 0;
            while (r.ReadLine() is { } l) if (l.StartsWith("OK ", StringComparison.Ordinal)) n++;
            return n;
        }
        catch (IOException) { return 0; }
    }

    /// <summary>The double on an existing FIFO, map and log: it reads earlier runs' releases back from the log.</summary>
    private static Process StartDouble(string fifo, string map, string target, string log) =>
        RealTools.StartReleaseDouble(fifo, map, RealTools.FixtureFile("vmcore.elf"), target, log);

    /// <summary>Lets a double blocked in open(2) on its FIFO (the save died before opening it) see end of file, then waits for it.</summary>
    private static async Task StopDouble(Process dbl, string fifo)
    {
        if (!dbl.WaitForExit(3_000))
        {
            var unblock = Task.Run(() => { using var w = new FileStream(fifo, FileMode.Open, FileAccess.Write); });
            await Task.WhenAny(unblock, Task.Delay(10_000));
        }
        Assert.True(dbl.WaitForExit(60_000));
        Assert.True(dbl.ExitCode == 0, $"the release double exited {dbl.ExitCode}: releases still in its FIFO were never checked");
    }

    /// <summary>
    /// Series of saves, each SIGKILLed at a random moment and continued with --resume, until 30
    /// kills: across every run of a series no byte is released twice, nothing is released before the
    /// PFNs it holds are readable from the output and equal to the source (the double checks both at
    /// each release), every byte is released or reported possibly unreleased, and the finished output
    /// equals the source page for page (level 0) or a fresh conversion at the same level (31).
    /// </summary>
    [SkippableTheory]
    [InlineData(0, 20)]
    [InlineData(31, 10)]
    public async Task Save_KilledAtRandomAndResumed_NoDoubleRelease_FinalOutputWhole(int level, int kills)
    {
        int seed = Environment.TickCount;
        var rng = new Random(seed);
        string why = $"(seed {seed})";
        int killed = 0, series = 0;
        while (killed < kills)
        {
            string name = $"resume{level}-{series++}";
            var (log, target, fifo, map) = Prepare(name);
            for (int run = 0; ; run++)
            {
                var dbl = StartDouble(fifo, map, target, log);
                var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
                foreach (var a in SaveArgs(fifo, map, target, "--compress", "lzo", "--dump-level", level.ToString(), "--resume")) psi.ArgumentList.Add(a);
                using var save = Process.Start(psi)!;
                var stderr = save.StandardError.ReadToEndAsync();
                bool last = run >= 12 || killed >= kills;
                if (!last && !save.WaitForExit(rng.Next(150, 1400)))
                {
                    save.Kill(); // SIGKILL
                    save.WaitForExit();
                    killed++;
                    await StopDouble(dbl, fifo);
                    continue;
                }
                save.WaitForExit();
                Assert.True(save.ExitCode == 0, $"{why} run {run}: {await stderr}");
                await StopDouble(dbl, fifo);
                break;
            }
            var lines = File.ReadAllLines(log);
            Assert.False(lines.Any(l => l.StartsWith("ERROR", StringComparison.Ordinal)), $"{why} {string.Join("\n", lines.Where(l => l.StartsWith("ERROR", StringComparison.Ordinal)))}");
            var dir = Directory.GetDirectories(target).Single(); // every run went on in the one save directory
            var released = lines.Select(l => l.Split(' ')).Select(p => (A: System.Convert.ToUInt64(p[1], 16), S: System.Convert.ToUInt64(p[2], 16))).ToList();
            using (var status = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "status.json"))))
            {
                Assert.Equal("complete", status.RootElement.GetProperty("outcome").GetString());
                var uncertain = status.RootElement.GetProperty("possibly_unreleased").EnumerateArray()
                    .Select(e => (A: System.Convert.ToUInt64(e.GetProperty("address").GetString(), 16), S: System.Convert.ToUInt64(e.GetProperty("size").GetString(), 16)))
                    .Where(u => !released.Contains(u)).ToList();
                ulong total = released.Aggregate(0UL, (t, r) => t + r.S) + uncertain.Aggregate(0UL, (t, r) => t + r.S);
                Assert.True(total == ExpectedBytes, $"{why} released 0x{total:x} of 0x{ExpectedBytes:x} (with {uncertain.Count} possibly unreleased)");
            }
            var vmcore = Path.Combine(dir, "vmcore");
            string reference = RealTools.FixtureFile("vmcore.elf");
            if (level != 0)
            {
                reference = _dir.File(name + ".fresh.kdump");
                RealTools.Hvdump("convert", RealTools.FixtureFile("vmcore.elf"), reference, "--dump-level", level.ToString(), "--compress", "lzo");
            }
            var diff = CliRunner.Run("diff", vmcore, reference);
            Assert.True(diff.ExitCode == 0, $"{why} {diff.Stdout}{diff.Stderr}");
        }
    }

    [SkippableFact]
    public void Save_OutOfSpace_IncompleteReadableAndNothingReleasedBeyondWritten()
    {
        var mnt = _dir.File("small");
        Directory.CreateDirectory(mnt);
        var m = RealTools.Run(RealTools.Tool("mount"), ["-t", "tmpfs", "-o", "size=12M", "tmpfs", mnt]);
        RealTools.Need(m.ExitCode == 0, "mount -t tmpfs (root)");
        try
        {
            var (dbl, log, _, fifo, map) = Start("enospc");
            var r = RealTools.Run("dotnet", SaveArgs(fifo, map, mnt, "--compress", "none", "--dump-level", "0"), timeoutSeconds: 300);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("incomplete", r.Stderr);
            Assert.True(dbl.WaitForExit(60_000));
            Assert.DoesNotContain(File.ReadAllLines(log), l => l.StartsWith("ERROR", StringComparison.Ordinal));
            var dir = Directory.GetDirectories(mnt).Single();
            var output = Path.Combine(dir, "vmcore-incomplete");
            using (var status = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "status.json"))))
                Assert.Equal("incomplete", status.RootElement.GetProperty("outcome").GetString());
            using (var k = (KdumpDumpSource)DumpProbe.Open(output))
            {
                Assert.True(k.Kdump.Incomplete);
                Assert.Equal(PageStatus.Present, k.ReadPage(0x100, new byte[4096]));
            }
            // crash recognises it as an incomplete kdump (what it can analyse depends on what was cut).
            var c = RealTools.Crash(output, "sys");
            Assert.Contains("This dumpfile is incomplete", c.All);
        }
        finally
        {
            RealTools.Run(RealTools.Tool("umount"), [mnt]);
        }
    }
}
