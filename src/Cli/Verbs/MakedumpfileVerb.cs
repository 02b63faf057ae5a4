using System.Globalization;
using System.Text;
using HvDumpKit.Cli.Output;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Elf;
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
        if (args.Contains("-v"))
        {
            stdout.WriteLine("makedumpfile: version 1.7.2 compatible (hvdump)");
            stdout.WriteLine("lzo\tenabled\nsnappy\tenabled\nzstd\tenabled");
            return 0;
        }
        if (p.Debug)
        {
            foreach (var m in p.MootSeen)
                stderr.WriteLine($"hvdump: {m} accepted and ignored: hvdump streams in bounded memory cycle by cycle, so it needs no " +
                "cyclic buffer or work directory");
            if (p.Vmlinux is not null) stderr.WriteLine("hvdump: -x accepted and ignored: everything is taken from VMCOREINFO");
        }
        try
        {
            if (p.Rearrange) return Rearrange(p, stdout, stderr);
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

    private static IDumpSource Open(MakedumpfileArguments p)
    {
        return DumpProbe.OpenWhole(p.Positional[0], vmcoreInfo: VmcoreInfoFile.LoadOptional(p.VmcoreInfo));
    }

    private static int Dump(MakedumpfileArguments p, TextWriter stdout, TextWriter stderr)
    {
        int need = p.Flat ? 1 : 2;
        if (p.Split && p.Positional.Count < 3) throw new UsageException("--split needs VMCORE and at least two DUMPFILEs");
        if (!p.Split
            && p.Positional.Count != need) throw new UsageException(p.Flat ? "-F takes VMCORE only (the stream goes to stdout)"
            : "VMCORE and DUMPFILE are required");
        using var opened = Open(p);
        var encrypt = AgeRecipients.From(p.EncryptTo, p.EncryptToFile, p.Elf ? "elf" : "kdump");
        for (int li = 0; li < p.Levels.Count; li++)
        {
            int level = p.Levels[li];
            var filtered = FilteredDumpSource.ForLevel(opened, level);
            IDumpSource source = filtered ?? opened;
            if (p.Debug) foreach (var w in filtered?.Warnings ?? []) stderr.WriteLine($"hvdump: {w}");
            var options = new WriterOptions
            {
                Compression = p.Elf ? PageCompression.None : p.Compression,
                CompressionLevel = PageCodecs.DefaultLevel(p.Compression),
                DumpLevel = level,
                Threads = p.ThreadCount,
                Durable = false,
            };
            var format = p.Elf ? OutputFormat.Elf : OutputFormat.Kdump;
            WriteSummary summary;
            try
            {
                if (p.Flat)
                {
                    var stdoutTarget = OutputTarget.ToStream(Console.OpenStandardOutput(), ownsStream: true).EncryptedTo(encrypt);
                    using var dump = DumpWriters.Create(format, stdoutTarget, limit: p.Limit);
                    summary = dump.Write(source, options);
                }
                else if (p.DryRun)
                {
                    using var dump = DumpWriters.CreateDiscarding(format);
                    summary = dump.Write(source, options);
                }
                else if (p.Split)
                    summary = KdumpSplitWriter.Write(source, p.Positional[0], p.Positional[1..], p.Force, p.SplitblockBytes, p.Limit,
                        options, encrypt);
                else
                {
                    using var output = OutputFile.Create(p.Positional[1], p.Force, [p.Positional[0]]);
                    using (var dump = DumpWriters.Create(format, OutputTarget.ToFile(output.Stream).EncryptedTo(encrypt), limit: p.Limit))
                        summary = dump.Write(source, options);
                    output.Commit(sync: false);
                }
            }
            catch (IOException ex) when (li + 1 < p.Levels.Count && Errno.IsOutputFull(ex))
            {
                // -d 11,31: the next level is the fallback when the output does not fit.
                stderr.WriteLine($"makedumpfile: {ex.Message}; retrying with dump level {p.Levels[li + 1]}");
                continue;
            }
            catch (OutputRefusedException ex) when (ex.Reason == OutputRefusal.Exists)
            {
                stderr.WriteLine($"check_dump_file: Can't open the dump file ({ex.Path ?? p.Positional[1]}). File exists.");
                return MakedumpfileMessages.Fail(stdout);
            }
            if (p.ShowStats || (p.MessageLevel & 16) != 0)
                ConversionReport.PrintStats(summary, filtered?.Stats ?? new FilterStats(), options, p.Flat ? stderr : stdout);
            // Which tool wrote the dump, in the capture kernel's console and journal: a distro script that
            // runs "makedumpfile" cannot tell otherwise (common messages, makedumpfile's level bit 2).
            if ((p.MessageLevel & 2) != 0)
                stderr.WriteLine($"hvdump {VersionText.Version}: makedumpfile command line, " +
                    $"{summary.PagesWritten} pages at dump level {level}");
            if (p.Flat) return 0;
            return MakedumpfileMessages.Completed(stdout, p.DryRun ? "The dumpfile is not saved (dry run)."
                : p.Split ? $"The dumpfiles are saved to {string.Join(", ", p.Positional[1..^1])}, and {p.Positional[^1]}."
                : $"The dumpfile is saved to {p.Positional[1]}.");
        }
        return MakedumpfileMessages.Fail(stdout);
    }

    /// <summary>--reassemble SPLIT1 … SPLITN DUMPFILE: one kdump-compressed file from a --split set, pages read through each file's
    /// range.</summary>
    private static int Reassemble(MakedumpfileArguments p, TextWriter stdout)
    {
        if (p.Positional.Count < 3) throw new UsageException("--reassemble needs at least two split DUMPFILEs and the output DUMPFILE");
        var inputs = p.Positional[..^1];
        string outPath = p.Positional[^1];
        using var set = KdumpSplitSet.Open(inputs);
        var options = new WriterOptions
        {
            Compression = set.Kdump.Compression,
            CompressionLevel = PageCodecs.DefaultLevel(set.Kdump.Compression),
            DumpLevel = set.DumpLevel & 31,
            Threads = p.ThreadCount,
            Durable = false,
        };
        using (var output = OutputFile.Create(outPath, p.Force, inputs))
        {
            using (var dump = DumpWriters.Create(OutputFormat.Kdump, OutputTarget.ToFile(output.Stream)))
                dump.Write(set, options);
            output.Commit(sync: false);
        }
        return MakedumpfileMessages.Completed(stdout, $"The dumpfile is saved to {outPath}.");
    }

    private static int DumpDmesg(MakedumpfileArguments p, TextWriter stdout, TextWriter stderr)
    {
        if (p.Positional.Count != 2) throw new UsageException("--dump-dmesg takes VMCORE and FILE");
        using var src = Open(p);
        var log = KernelLog.Read(src);
        if (log.Records.Count == 0) throw new NotSupportedException($"no kernel log could be read ({string.Join("; ", log.Warnings)})");
        using var output = OutputFile.Create(p.Positional[1], p.Force, [p.Positional[0]]);
        output.Stream.Write(Encoding.UTF8.GetBytes(log.Text(caller: false)));
        output.Commit(sync: false);
        if ((p.MessageLevel & 2) != 0)
            stderr.WriteLine($"hvdump {VersionText.Version}: makedumpfile command line, kernel log of {log.Records.Count} records");
        return MakedumpfileMessages.Completed(stdout, $"The dmesg log is saved to {p.Positional[1]}.");
    }

    private static int Rearrange(MakedumpfileArguments p, TextWriter stdout, TextWriter stderr)
    {
        if (p.Positional.Count != 1) throw new UsageException("-R takes DUMPFILE (the stream comes on stdin)");
        using var output = OutputFile.Create(p.Positional[0], p.Force, []);
        using (var stdin = Console.OpenStandardInput())
            Rearranger.Run(new BufferedStream(stdin, 1 << 20), output.Stream);
        output.Commit(sync: false);
        return MakedumpfileMessages.Completed(stdout, $"The dumpfile is saved to {p.Positional[0]}.");
    }
}
