using HvDumpKit.Tests.Builders;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Debian sid's crash (9.x) and python3 with drgn 0.3 and libkdumpfile, from the root that
/// scripts/make-sid-root.sh debootstraps: the oracles for dumps of sid's 7.x kernel, which bookworm's
/// crash 8.0.2 and drgn 0.0.22 predate. Run through scripts/in-sid-root.sh, which shows every absolute
/// path among the arguments at its own path inside the root.
/// </summary>
public static class SidRoot
{
    public static string Dir => Environment.GetEnvironmentVariable("HVDUMP_SID_ROOT") is { Length: > 0 } r ? r
        : Path.Combine(RealTools.Cache, "sid-root");

    private static string Wrapper => Path.Combine(Repo.Root, "scripts", "in-sid-root.sh");

    private static void Need() =>
        RealTools.Need(File.Exists(Path.Combine(Dir, "usr/bin/crash")), $"Debian sid's crash and drgn in {Dir} (scripts/make-sid-root.sh)");

    /// <summary>crash on a 7.x dump: `--no_modules`, which crash 9.0.2 needs there (its module walk predates 7.x).</summary>
    public static RealTools.Result Crash(string vmlinux, string dump, params string[] commands)
    {
        Need();
        using var dir = new TempDir();
        var cmdFile = dir.File("commands");
        File.WriteAllText(cmdFile, string.Join("\n", commands.Append("exit")) + "\n");
        return RealTools.Run("/bin/bash", [Wrapper, "crash", "-s", "--no_scroll", "--no_modules", vmlinux, dump, "-i", cmdFile],
            timeoutSeconds: 600);
    }

    /// <summary>sid's python3 (drgn 0.3, libkdumpfile) running SCRIPT.</summary>
    public static RealTools.Result Python(string script, params string[] args)
    {
        Need();
        return RealTools.Run("/bin/bash", [Wrapper, "python3", script, .. args], timeoutSeconds: 600);
    }
}
