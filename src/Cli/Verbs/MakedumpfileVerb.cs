using System.Text;
using HvDumpKit.Cli.Output;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Flattened;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Cli.Verbs;

/// <summary>
/// `hvdump makedumpfile [OPTIONS] VMCORE DUMPFILE`, also when invoked as `makedumpfile`: the
/// option syntax, streams and exit codes of makedumpfile 1.7.2, so distro kdump scripts switch by
/// pointing at hvdump. Messages go to stdout, errors to stderr, as makedumpfile's.
/// </summary>
public static class MakedumpfileVerb
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        MakedumpfileArguments p;
        try { p = MakedumpfileArguments.Parse(args); }
        catch (UsageException ex) { stderr.WriteLine($"makedumpfile: {ex.Message}"); return MakedumpfileMessages.Fail(stdout); }
        if (args.Contains("-h") || args.Contains("--help")) { MakedumpfileMessages.Usage(stdout); return 0; }
        if (args.Contains("-v")) return MakedumpfileMessages.Version(stdout);
        if (p.Debug) MakedumpfileMessages.Ignored(p.MootSeen, p.Vmlinux is not null, stderr);
        try
        {
            if (p.Rearrange) return Rearrange(p, stdout);
            if (p.Reassemble) return Reassemble(p, stdout);
            if (p.Dmesg) return DumpDmesg(p, stdout, stderr);
            return Dump(p, stdout, stderr);
        }
        catch (Exception ex) when (ex is DumpFormatException or IOException or OutputRefusedException or NotSupportedException or
            UnauthorizedAccessException or UsageException)
        {
            stderr.WriteLine($"makedumpfile: {ex.Message}");
            return MakedumpfileMessages.Fail(stdout);
        }
    }

    private static IDumpSource Open(MakedumpfileArguments p) =>
        DumpProbe.OpenWhole(p.Positional[0], vmcoreInfo: VmcoreInfoFile.LoadOptional(p.VmcoreInfo));

    private static int Dump(MakedumpfileArguments p, TextWriter stdout, TextWriter stderr)
    {
        p.CheckDumpOperands();
        using var opened = Open(p);
        var destination = Destination(p, AgeRecipients.From(p.EncryptTo, p.EncryptToFile, p.Elf ? "elf" : "kdump"));
        for (int li = 0; li < p.Levels.Count; li++)
        {
            int level = p.Levels[li];
            var filtered = FilteredDumpSource.ForLevel(opened, level);
            if (p.Debug) foreach (var w in filtered?.Warnings ?? []) stderr.WriteLine($"hvdump: {w}");
            var options = p.WriterOptions(level);
            WriteSummary summary;
            try { summary = destination.Write(filtered ?? opened, p.Elf ? OutputFormat.Elf : OutputFormat.Kdump, options); }
            catch (IOException ex) when (li + 1 < p.Levels.Count && Errno.IsOutputFull(ex))
            {
                MakedumpfileMessages.Retrying(ex.Message, p.Levels[li + 1], stderr);
                continue;
            }
            catch (OutputRefusedException ex) when (ex.Reason == OutputRefusal.Exists)
            {
                return MakedumpfileMessages.FileExists(ex.Path ?? p.Positional[1], stdout, stderr);
            }
            if (p.ShowStats || (p.MessageLevel & 16) != 0)
                ConversionReport.PrintStats(summary, filtered?.Stats ?? new FilterStats(), options, p.Flat ? stderr : stdout);
            MakedumpfileMessages.Provenance(p.MessageLevel, $"{summary.PagesWritten} pages at dump level {level}", stderr);
            if (p.Flat) return 0;
            return MakedumpfileMessages.Completed(stdout, MakedumpfileMessages.Saved(p.DryRun, p.Split, p.Positional[1..]));
        }
        return MakedumpfileMessages.Fail(stdout);
    }

    private static DumpDestination Destination(MakedumpfileArguments p, AgeRecipientSet? encrypt) =>
        p.Flat ? DumpDestination.ToStream(Console.OpenStandardOutput, p.Limit, encrypt)
        : p.DryRun ? DumpDestination.Discarding()
        : p.Split ? DumpDestination.Split(p.Positional[0], p.Positional[1..], p.Force, p.SplitblockBytes, p.Limit, encrypt)
        : DumpDestination.ToFile(p.Positional[1], p.Force, [p.Positional[0]], p.Limit, encrypt);

    /// <summary>--reassemble SPLIT1 … SPLITN DUMPFILE: one kdump-compressed file from a --split set.</summary>
    private static int Reassemble(MakedumpfileArguments p, TextWriter stdout)
    {
        if (p.Positional.Count < 3) throw new UsageException("--reassemble needs at least two split DUMPFILEs and the output DUMPFILE");
        KdumpReassembler.Write(p.Positional[..^1], p.Positional[^1], p.Force, p.ThreadCount);
        return MakedumpfileMessages.Completed(stdout, $"The dumpfile is saved to {p.Positional[^1]}.");
    }

    private static int DumpDmesg(MakedumpfileArguments p, TextWriter stdout, TextWriter stderr)
    {
        if (p.Positional.Count != 2) throw new UsageException("--dump-dmesg takes VMCORE and FILE");
        using var src = Open(p);
        var log = KernelLog.Read(src);
        if (log.Records.Count == 0) throw new NotSupportedException($"no kernel log could be read ({string.Join("; ", log.Warnings)})");
        OutputFile.WriteWhole(p.Positional[1], p.Force, [p.Positional[0]], s => s.Write(Encoding.UTF8.GetBytes(log.Text(caller: false))));
        MakedumpfileMessages.Provenance(p.MessageLevel, $"kernel log of {log.Records.Count} records", stderr);
        return MakedumpfileMessages.Completed(stdout, $"The dmesg log is saved to {p.Positional[1]}.");
    }

    private static int Rearrange(MakedumpfileArguments p, TextWriter stdout)
    {
        if (p.Positional.Count != 1) throw new UsageException("-R takes DUMPFILE (the stream comes on stdin)");
        OutputFile.WriteWhole(p.Positional[0], p.Force, [], s =>
        {
            using var stdin = Console.OpenStandardInput();
            Rearranger.Run(new BufferedStream(stdin, 1 << 20), s);
        });
        return MakedumpfileMessages.Completed(stdout, $"The dumpfile is saved to {p.Positional[0]}.");
    }
}
