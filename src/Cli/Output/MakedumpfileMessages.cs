namespace HvDumpKit.Cli.Output;

/// <summary>
/// makedumpfile's stdout conventions (its usage text and the closing "Completed." / "Failed." lines
/// scripts read) and the lines hvdump adds on stderr.
/// </summary>
public static class MakedumpfileMessages
{
    public static int Version(TextWriter stdout)
    {
        stdout.WriteLine("makedumpfile: version 1.7.2 compatible (hvdump)");
        stdout.WriteLine("lzo\tenabled\nsnappy\tenabled\nzstd\tenabled");
        return 0;
    }

    /// <summary>-D: the options makedumpfile needs and hvdump takes without acting on them.</summary>
    public static void Ignored(IEnumerable<string> moot, bool vmlinux, TextWriter stderr)
    {
        foreach (var m in moot)
            stderr.WriteLine($"hvdump: {m} accepted and ignored: hvdump streams in bounded memory cycle by cycle, so it needs no " +
            "cyclic buffer or work directory");
        if (vmlinux) stderr.WriteLine("hvdump: -x accepted and ignored: everything is taken from VMCOREINFO");
    }

    /// <summary>
    /// Which tool wrote the dump, in the capture kernel's console and journal: a distro script that
    /// runs "makedumpfile" cannot tell otherwise (common messages, makedumpfile's level bit 2).
    /// </summary>
    public static void Provenance(int messageLevel, string what, TextWriter stderr)
    {
        if ((messageLevel & 2) != 0) stderr.WriteLine($"hvdump {VersionText.Version}: makedumpfile command line, {what}");
    }

    /// <summary>-d 11,31: the next level is the fallback when the output does not fit.</summary>
    public static void Retrying(string why, int nextLevel, TextWriter stderr) =>
        stderr.WriteLine($"makedumpfile: {why}; retrying with dump level {nextLevel}");

    public static int FileExists(string path, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine($"check_dump_file: Can't open the dump file ({path}). File exists.");
        return Fail(stdout);
    }

    /// <summary>What the closing lines say was saved: nothing (--dry-run), the --split files, or DUMPFILE.</summary>
    public static string Saved(bool dryRun, bool split, IReadOnlyList<string> outputs) =>
        dryRun ? "The dumpfile is not saved (dry run)."
        : split ? $"The dumpfiles are saved to {string.Join(", ", outputs.Take(outputs.Count - 1))}, and {outputs[^1]}."
        : $"The dumpfile is saved to {outputs[0]}.";

    public static int Fail(TextWriter stdout)
    {
        stdout.WriteLine();
        stdout.WriteLine("makedumpfile Failed.");
        return 1;
    }

    /// <summary>makedumpfile's closing lines on stdout: what was saved where, then "Completed."</summary>
    public static int Completed(TextWriter stdout, string saved)
    {
        stdout.WriteLine();
        stdout.WriteLine(saved);
        stdout.WriteLine();
        stdout.WriteLine("makedumpfile Completed.");
        return 0;
    }

    public static void Usage(TextWriter w)
    {
        w.WriteLine("""
            hvdump makedumpfile: makedumpfile-compatible command line (see README.md for the option table)
              makedumpfile [-c|-l|-p|-z] [-E] [-d LEVEL[,LEVEL...]] [-L SIZE] [-f] [-x VMLINUX] [-i VMCOREINFO] VMCORE DUMPFILE
              makedumpfile -F [-c|-l|-p|-z] [-E] [-d LEVEL] VMCORE > STREAM
              makedumpfile -R DUMPFILE < STREAM
              makedumpfile --dump-dmesg [-x VMLINUX|-i VMCOREINFO] VMCORE LOGFILE
              options: --num-threads N, --message-level N, --show-stats, --dry-run, -D, -v, -h,
                       --encrypt-to RECIPIENT, --encrypt-to-file FILE (age; DUMPFILE or the -F stream is age-encrypted)
            """);
    }
}
