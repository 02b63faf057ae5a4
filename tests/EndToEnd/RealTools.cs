using System.Diagnostics;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Access to the real consumers (crash, makedumpfile, libkdumpfile, drgn) and the real QEMU vmcore
/// fixture. Without HVDUMP_E2E these tests are skipped (reported as skipped, never as passed);
/// with it (scripts/test.sh sets it) a missing tool or fixture is a failure.
/// </summary>
public static class RealTools
{
    public static bool Required => Environment.GetEnvironmentVariable("HVDUMP_E2E") == "1";
    public static string? Fixture => Environment.GetEnvironmentVariable("HVDUMP_FIXTURE") is { Length: > 0 } f ? f
        : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache/hvdump-fixtures/x86_64-512m");
    public const string SystemPython = "/usr/bin/python3";

    /// <summary>Downloads and the oracles made from them (kdump-tools, the ppc64el root): kept across runs, unlike fixtures.</summary>
    public static string Cache => Environment.GetEnvironmentVariable("HVDUMP_CACHE") is { Length: > 0 } c ? c
        : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache/hvdump");

    /// <summary>A file under <see cref="Cache"/>; missing, it is reported with the script that makes it.</summary>
    public static string CacheFile(string relative, string madeBy)
    {
        var f = Path.Combine(Cache, relative);
        Need(File.Exists(f), $"{f} ({madeBy} makes it)");
        return f;
    }

    /// <summary>A file of ../shared (the folder beside the repository, as CI has it).</summary>
    public static string Shared(params string[] parts)
    {
        var f = Repo.Shared(parts);
        Need(File.Exists(f), $"../shared/{string.Join('/', parts)} (the shared folder beside the repository; CI has it at ../shared)");
        return f;
    }

    /// <summary>Debian's python3, which has the libkdumpfile and drgn modules, running SCRIPT.</summary>
    public static Result Python(string script, IEnumerable<string> args, int timeoutSeconds = 300)
    {
        Need(File.Exists(SystemPython), SystemPython + " (Debian's python3; scripts/install-deps.sh)");
        Need(File.Exists(script), script);
        return Run(SystemPython, [script, .. args], timeoutSeconds: timeoutSeconds);
    }

    /// <summary>A script of tests/EndToEnd copied beside the test binary.</summary>
    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "EndToEnd", name);

    /// <summary>
    /// Asserts that a tool exited 0, failing with its stderr: an assertion on the output of a tool
    /// that failed would compare against nothing.
    /// </summary>
    public static Result Ok(this Result r, string what)
    {
        Assert.True(r.ExitCode == 0, $"{what} exited {r.ExitCode}: {r.Stderr.Trim()}\n{Tail(r.Stdout)}");
        return r;
    }

    private static string Tail(string s) => s.Length > 2000 ? "…" + s[^2000..] : s;

    /// <summary>Two kdump files dump exactly the same PFNs, by ../shared/tools/kdumppfns.py (independent of our reader).</summary>
    public static void SamePfns(string a, string b)
    {
        var cmp = Python(Shared("tools", "kdumppfns.py"), ["--cmp", a, b]);
        Assert.True(cmp.ExitCode is 0 or 1 && cmp.Stdout.Contains("only_a"), $"kdumppfns.py --cmp failed (exit {cmp.ExitCode}): {cmp.All}");
        Assert.True(cmp.ExitCode == 0, $"dumped PFN sets differ: {cmp.Stdout.Trim()} ({a} vs {b})");
        Assert.Contains("\"only_a\": 0, \"only_b\": 0", cmp.Stdout);
    }

    /// <summary>
    /// libkdumpfile (check_pages_libkdumpfile.py, independent of our reader) reads every page of
    /// OUTPUT equal to SOURCE, as many as it reads from SOURCE below the output's last PFN (a kdump
    /// file ends at its last mem_map section, as makedumpfile's do): how many is the source's own count.
    /// </summary>
    /// <param name="reference">another tool's output of SOURCE (makedumpfile -E): only the pages it holds are expected;
    /// "ptload": only the pages wholly inside the ELF SOURCE's PT_LOADs</param>
    public static Result LibkdumpfileSamePages(string source, string output, int pageSize = 4096, string? arch = null, string? reference = null)
    {
        ulong maxPfn;
        using (var s = HvDumpKit.Reader.DumpProbe.Open(source))
        using (var o = HvDumpKit.Reader.DumpProbe.Open(output))
            maxPfn = Math.Min(s.MaxPfn, o.MaxPfn);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string[] args = arch is null && reference is null
            ? [source, output, maxPfn.ToString(inv)]
            : [source, output, maxPfn.ToString(inv), pageSize.ToString(inv), arch ?? "x86_64", .. reference is null ? Array.Empty<string>() : [reference]];
        var r = Python(Script("check_pages_libkdumpfile.py"), args, timeoutSeconds: 900).Ok("check_pages_libkdumpfile.py " + output);
        var read = System.Text.RegularExpressions.Regex.Match(r.Stdout, @"source=(\d+)").Groups[1].Value;
        Assert.Contains($"same={read} missing=0 differ=0", r.Stdout);
        Assert.True(long.Parse(read, System.Globalization.CultureInfo.InvariantCulture) > 0, r.Stdout);
        return r;
    }

    /// <summary>
    /// The kernel's side of the release interface (tests/ReleaseDouble), reading "ADDR SIZE" lines from FIFO and
    /// checking each against MAP, SOURCE and the output named under TARGET; one line per release in LOG.
    /// </summary>
    public static Process StartReleaseDouble(string fifo, string map, string source, string target, string log) =>
        Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "release-double.dll"), fifo, map, source, target, log },
            UseShellExecute = false,
        })!;

    /// <summary>How many PFNs a kdump file dumps, by kdumppfns.py.</summary>
    public static long DumpedPfns(string kdump)
    {
        var r = Python(Shared("tools", "kdumppfns.py"), [kdump]).Ok("kdumppfns.py " + kdump);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        return doc.RootElement.GetProperty("dumped_pfns").GetInt64();
    }

    public static string Vmlinux()
    {
        var dir = "/usr/lib/debug/boot";
        var v = Directory.Exists(dir) ? Directory.GetFiles(dir, "vmlinux-*").OrderBy(x => x).LastOrDefault() : null;
        Need(v is not null, "debug vmlinux (linux-image-*-dbg)");
        return v!;
    }

    /// <summary>Skips (or fails under HVDUMP_E2E) when a prerequisite is missing.</summary>
    public static void Need(bool ok, string what)
    {
        if (ok) return;
        // One line naming what is missing and what makes it; a bare name is a Debian tool or package.
        string how = what.Contains('(') ? "" : " (scripts/install-deps.sh installs it)";
        if (Required) Assert.Fail($"end-to-end prerequisite missing: {what}{how}");
        Skip.If(true, $"{what} not available; set HVDUMP_E2E=1 via scripts/test.sh to require it");
    }

    /// <summary>The fixtures scripts/test.sh builds; those missing are reported by Need.</summary>
    public static readonly string[] AllFixtures = ["x86_64-512m", "x86_64-256m-nokaslr", "x86_64-256m-la57", "x86_64-2g"];

    public static string FixtureFile(string fixture, string name)
    {
        var root = Fixture is null ? null : Path.GetDirectoryName(Fixture);
        var f = root is null ? null : Path.Combine(root, fixture, name);
        Need(f is not null && File.Exists(f), $"real vmcore fixture {fixture}/{name} (scripts/test.sh builds it)");
        return f!;
    }

    public static string FixtureFile(string name)
    {
        var f = Fixture is null ? null : Path.Combine(Fixture, name);
        Need(f is not null && File.Exists(f), $"real vmcore fixture {name} (../shared/realcore/make-vmcore.sh)");
        return f!;
    }

    public static string Tool(string name)
    {
        foreach (var dir in new[] { "/usr/bin", "/usr/sbin", "/bin", "/sbin" })
            if (File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        Need(false, name);
        return name;
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Result Run(string file, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 300, string? stdinFile = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null || stdinFile is not null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var outTask = p.StandardOutput.ReadToEndAsync();
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        else if (stdinFile is not null)
        {
            using (var fs = File.OpenRead(stdinFile)) fs.CopyTo(p.StandardInput.BaseStream);
            p.StandardInput.Close();
        }
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} timed out after {timeoutSeconds} s");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, outTask.Result, err.Result);
    }

    /// <summary>Runs crash non-interactively with commands; returns its output.</summary>
    public static Result Crash(string dump, params string[] commands) => CrashWith([], dump, commands);

    /// <summary>crash on the files of a --split set, all given at once.</summary>
    public static Result CrashSet(string[] dumps, params string[] commands)
    {
        var cmdFile = Path.GetTempFileName();
        File.WriteAllText(cmdFile, string.Join("\n", commands.Append("exit")) + "\n");
        try { return Run(Tool("crash"), ["-s", "--no_scroll", Vmlinux(), .. dumps, "-i", cmdFile], timeoutSeconds: 240); }
        finally { File.Delete(cmdFile); }
    }

    public static Result CrashWith(string[] options, string dump, params string[] commands)
    {
        var crash = Tool("crash");
        var vmlinux = Vmlinux();
        var cmdFile = Path.GetTempFileName();
        File.WriteAllText(cmdFile, string.Join("\n", commands.Append("exit")) + "\n");
        try { return Run(crash, ["-s", "--no_scroll", .. options, vmlinux, dump, "-i", cmdFile], timeoutSeconds: 240); }
        finally { File.Delete(cmdFile); }
    }

    public static string Hvdump(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.ExitCode == 0, $"hvdump {string.Join(' ', args)} failed: {r.Stderr}");
        return r.Stdout;
    }
}
