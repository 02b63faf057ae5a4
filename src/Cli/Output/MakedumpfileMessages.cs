namespace HvDumpKit.Cli.Output;

/// <summary>makedumpfile's stdout conventions: its usage text and the closing "Completed." / "Failed." lines scripts read.</summary>
public static class MakedumpfileMessages
{
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
