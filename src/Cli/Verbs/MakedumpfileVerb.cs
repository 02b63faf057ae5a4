using System.Globalization;
using System.Text;
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
    private static readonly string[] Moot = ["--cyclic-buffer", "--work-dir", "--non-mmap", "--non-cyclic"];
    private static readonly string[] Refused = ["--eppic", "--config", "--xen-syms", "--xen-vmcoreinfo", "--xen_phys_start", "-X", "--diskset",
        "--mem-usage", "-g", "-e", "--exclude-xen-dom", "--vtop", "--partial-dmesg", "--check-params", "-N", "--extension", "-b", "--work-dir-size"];
    private static readonly string[] WithArgument = ["-d", "-L", "-i", "-x", "--num-threads", "--message-level", "--cyclic-buffer", "--work-dir", "--splitblock-size",
        "--encrypt-to", "--encrypt-to-file"];

    private sealed class Parsed
    {
        public PageCompression Compression = PageCompression.None;
        public bool Elf, Flat, Rearrange, Force, Debug, DryRun, ShowStats, Dmesg, Split, Reassemble;
        public List<int> Levels = [];
        public long? Limit;
        public string? VmcoreInfo, Vmlinux;
        public int? Threads;
        /// <summary>--num-threads 0 or unset: every core.</summary>
        public int ThreadCount => Threads is > 0 ? Threads.Value : MemoryPlan.Threads();
        public int MessageLevel = 7;
        public long SplitblockBytes = 1L << 30; // makedumpfile's default splitblock: 1 GiB
        public List<string> Positional = [];
        public List<string> MootSeen = [];
        public List<string> EncryptTo = [], EncryptToFile = []; // our own long options: age recipients
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Parsed p;
        try { p = Parse(args); }
        catch (UsageException ex) { stderr.WriteLine($"makedumpfile: {ex.Message}"); return Fail(stdout); }
        if (args.Contains("-h") || args.Contains("--help")) { Usage(stdout); return 0; }
        if (args.Contains("-v"))
        {
            stdout.WriteLine("makedumpfile: version 1.7.2 compatible (hvdump)");
            stdout.WriteLine("lzo\tenabled\nsnappy\tenabled\nzstd\tenabled");
            return 0;
        }
        if (p.Debug)
        {
            foreach (var m in p.MootSeen) stderr.WriteLine($"hvdump: {m} accepted and ignored: hvdump streams in bounded memory cycle by cycle, so it needs no cyclic buffer, work directory or mmap choice");
            if (p.Vmlinux is not null) stderr.WriteLine("hvdump: -x accepted and ignored: everything is taken from VMCOREINFO");
        }
        try
        {
            if (p.Rearrange) return Rearrange(p, stdout, stderr);
            if (p.Reassemble) return Reassemble(p, stdout);
            if (p.Dmesg) return DumpDmesg(p, stdout, stderr);
            return Dump(p, stdout, stderr);
        }
        catch (Exception ex) when (ex is DumpFormatException or IOException or OutputRefusedException or NotSupportedException or UnauthorizedAccessException or PageDecodeException or UsageException)
        {
            stderr.WriteLine($"makedumpfile: {ex.Message}");
            return Fail(stdout);
        }
    }

    private static int Fail(TextWriter stdout)
    {
        stdout.WriteLine();
        stdout.WriteLine("makedumpfile Failed.");
        return 1;
    }

    /// <summary>makedumpfile's closing lines on stdout: what was saved where, then "Completed."</summary>
    private static int Completed(TextWriter stdout, string saved)
    {
        stdout.WriteLine();
        stdout.WriteLine(saved);
        stdout.WriteLine();
        stdout.WriteLine("makedumpfile Completed.");
        return 0;
    }

    private static Parsed Parse(string[] args)
    {
        var p = new Parsed();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? value = null;
            if (a == "--")
            {
                // getopt's end of options: what follows is VMCORE and DUMPFILE even when it starts with '-'.
                p.Positional.AddRange(args[(i + 1)..]);
                break;
            }
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='))
            {
                value = a[(a.IndexOf('=') + 1)..];
                a = a[..a.IndexOf('=')];
            }
            if (Refused.Contains(a)) throw new UsageException($"option {a} is not supported by hvdump");
            if (a.StartsWith('-') && a.Length > 2 && !a.StartsWith("--", StringComparison.Ordinal))
            {
                // getopt clusters: -cF is -c -F; in -ld31 the d takes the rest, "31", as its argument.
                var expanded = new List<string>();
                for (int c = 1; c < a.Length; c++)
                {
                    string opt = "-" + a[c];
                    expanded.Add(opt);
                    if (WithArgument.Contains(opt))
                    {
                        if (c + 1 < a.Length) expanded.Add(a[(c + 1)..]);
                        break;
                    }
                }
                args = [.. args[..i], .. expanded, .. args[(i + 1)..]];
                i--;
                continue;
            }
            if (WithArgument.Contains(a) && value is null)
            {
                if (i + 1 >= args.Length) throw new UsageException($"option {a} requires an argument");
                value = args[++i];
            }
            switch (a)
            {
                case "-c": p.Compression = PageCompression.Zlib; break;
                case "-l": p.Compression = PageCompression.Lzo; break;
                case "-p": p.Compression = PageCompression.Snappy; break;
                case "-z": p.Compression = PageCompression.Zstd; break;
                case "-E": p.Elf = true; break;
                case "-F": p.Flat = true; break;
                case "-R": p.Rearrange = true; break;
                case "-f": p.Force = true; break;
                case "-D": p.Debug = true; break;
                case "--dry-run": p.DryRun = true; break;
                case "--show-stats": p.ShowStats = true; break;
                case "--dump-dmesg": p.Dmesg = true; break;
                case "--split": p.Split = true; break;
                case "--reassemble": p.Reassemble = true; break;
                case "-h" or "--help" or "-v": break;
                case "-d":
                    foreach (var l in value!.Split(','))
                        p.Levels.Add(int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var lv) && lv <= 31 ? lv : throw new UsageException($"invalid dump level: {l}"));
                    break;
                case "-L": p.Limit = ParseBytes(value!); break;
                case "-i": p.VmcoreInfo = value; break;
                case "--encrypt-to": p.EncryptTo.Add(value!); break;
                case "--encrypt-to-file": p.EncryptToFile.Add(value!); break;
                case "-x": p.Vmlinux = value; break;
                case "--splitblock-size":
                    p.SplitblockBytes = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) && kb > 0
                        ? kb << 10 : throw new UsageException($"invalid --splitblock-size: {value}");
                    break;
                case "--num-threads": p.Threads = int.TryParse(value, out var t) && t >= 0 ? t : throw new UsageException($"invalid --num-threads: {value}"); break;
                case "--message-level": p.MessageLevel = int.TryParse(value, out var m) ? m : throw new UsageException($"invalid --message-level: {value}"); break;
                default:
                    if (Moot.Contains(a)) { p.MootSeen.Add(a); break; }
                    if (a.StartsWith('-') && a != "-") throw new UsageException($"unrecognized option '{a}'");
                    p.Positional.Add(a);
                    break;
            }
        }
        if (p.Split && (p.Flat || p.Elf)) throw new UsageException($"--split cannot be used with {(p.Flat ? "-F" : "-E")}");
        if (p.Split && p.Reassemble) throw new UsageException("--split and --reassemble cannot be used together");
        if (p.Levels.Count == 0) p.Levels.Add(0);
        foreach (var path in p.Positional.Skip(p.Rearrange ? 0 : 1)) OutputPathGuard.Check(path, "DUMPFILE", args);
        return p;
    }

    /// <summary>-L SIZE: bytes, or with a K, M or G suffix.</summary>
    private static long ParseBytes(string s)
    {
        long mult = 1;
        char last = char.ToUpperInvariant(s[^1]);
        if (last is 'K' or 'M' or 'G') { mult = last switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 }; s = s[..^1]; }
        return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v * mult : throw new UsageException($"invalid -L size: {s}");
    }

    private static IDumpSource Open(Parsed p)
    {
        return DumpProbe.OpenWhole(p.Positional[0], vmcoreInfo: VmcoreInfoFile.LoadOptional(p.VmcoreInfo));
    }

    private static int Dump(Parsed p, TextWriter stdout, TextWriter stderr)
    {
        int need = p.Flat ? 1 : 2;
        if (p.Split && p.Positional.Count < 3) throw new UsageException("--split needs VMCORE and at least two DUMPFILEs");
        if (!p.Split && p.Positional.Count != need) throw new UsageException(p.Flat ? "-F takes VMCORE only (the stream goes to stdout)" : "VMCORE and DUMPFILE are required");
        using var opened = Open(p);
        var encrypt = AgeRecipients.From(p.EncryptTo, p.EncryptToFile, p.Elf ? "elf" : "kdump");
        for (int li = 0; li < p.Levels.Count; li++)
        {
            int level = p.Levels[li];
            var filtered = (level & ~DumpLevel.Zero) != 0 ? new FilteredDumpSource(opened, level) : null;
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
            IDumpWriter writer = p.Elf ? new ElfWriter() : new KdumpWriter();
            WriteSummary summary;
            try
            {
                if (p.Flat)
                {
                    using var so = Console.OpenStandardOutput();
                    using var sink = AgeOutput.Flattened(encrypt, new BufferedStream(so, 1 << 20), ownsStream: true);
                    summary = writer.Write(source, Limit(sink, p.Limit), options);
                }
                else if (p.DryRun)
                {
                    using var sink = new NullSink();
                    summary = writer.Write(source, sink, options);
                }
                else if (p.Split)
                    summary = WriteSplit(p, source, options, encrypt);
                else
                {
                    using var output = OutputFile.Create(p.Positional[1], p.Force, [p.Positional[0]]);
                    using (var sink = AgeOutput.File(encrypt, output.Handle))
                        summary = writer.Write(source, Limit(sink, p.Limit), options);
                    output.Commit(sync: false);
                }
            }
            catch (IOException ex) when (li + 1 < p.Levels.Count && IsNoSpace(ex))
            {
                // -d 11,31: the next level is the fallback when the output does not fit.
                stderr.WriteLine($"makedumpfile: {ex.Message}; retrying with dump level {p.Levels[li + 1]}");
                continue;
            }
            catch (OutputRefusedException ex) when (ex.Message.Contains("exists", StringComparison.Ordinal))
            {
                stderr.WriteLine($"check_dump_file: Can't open the dump file ({ex.Path ?? p.Positional[1]}). File exists.");
                return Fail(stdout);
            }
            if (p.ShowStats || (p.MessageLevel & 16) != 0)
                ConvertVerb.PrintStats(summary, filtered?.Stats ?? new FilterStats(), options, p.Flat ? stderr : stdout);
            if (p.Flat) return 0;
            return Completed(stdout, p.DryRun ? "The dumpfile is not saved (dry run)."
                : p.Split ? $"The dumpfiles are saved to {string.Join(", ", p.Positional[1..^1])}, and {p.Positional[^1]}."
                : $"The dumpfile is saved to {p.Positional[1]}.");
        }
        return Fail(stdout);
    }

    /// <summary>
    /// --split: one kdump-compressed file per range of the split plan, written one after the other
    /// (each already compresses on all cores). Files appear under their names only when all are whole.
    /// </summary>
    private static WriteSummary WriteSplit(Parsed p, IDumpSource source, WriterOptions options, AgeRecipientSet? encrypt)
    {
        var paths = p.Positional[1..];
        ulong maxMapnr = SplitPlan.MaxMapnr(source);
        var ranges = SplitPlan.Cut(source.PresentRanges(), maxMapnr, paths.Count, SplitPlan.SplitblockPfns(p.SplitblockBytes, source.Header.PageSize));
        var outputs = new List<OutputFile>();
        try
        {
            ulong pages = 0, written = 0, zero = 0, compressed = 0, raw = 0;
            long bytes = 0;
            WriteSummary? last = null;
            for (int i = 0; i < paths.Count; i++)
            {
                var output = OutputFile.Create(paths[i], p.Force, [p.Positional[0], .. paths.Where((_, j) => j != i)]);
                outputs.Add(output);
                using (var sink = AgeOutput.File(encrypt, output.Handle))
                    last = new KdumpWriter().Write(source, Limit(sink, p.Limit), options with { SplitRange = ranges[i] });
                pages += last.PagesInSource; written += last.PagesWritten; zero += last.ZeroPages;
                compressed += last.CompressedPages; raw += last.RawPages; bytes += last.BytesOut;
            }
            foreach (var o in outputs) o.Commit(sync: false);
            return last! with { PagesInSource = pages, PagesWritten = written, ZeroPages = zero, ZeroPagesExcluded = DumpLevel.ExcludesZero(options.DumpLevel) ? zero : 0,
                CompressedPages = compressed, RawPages = raw, BytesOut = bytes };
        }
        finally
        {
            foreach (var o in outputs) o.Dispose();
        }
    }

    /// <summary>--reassemble SPLIT1 … SPLITN DUMPFILE: one kdump-compressed file from a --split set, pages read through each file's range.</summary>
    private static int Reassemble(Parsed p, TextWriter stdout)
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
            using (var sink = new FileSink(output.Handle, ownsHandle: false))
                new KdumpWriter().Write(set, sink, options);
            output.Commit(sync: false);
        }
        return Completed(stdout, $"The dumpfile is saved to {outPath}.");
    }

    private static bool IsNoSpace(IOException ex) => ex.HResult == 28 || ex.Message.Contains("No space left", StringComparison.Ordinal) || ex is LimitReachedException;

    private static IOutputSink Limit(IOutputSink sink, long? limit) => limit is long l ? new LimitedSink(sink, l) : sink;

    private static int DumpDmesg(Parsed p, TextWriter stdout, TextWriter stderr)
    {
        if (p.Positional.Count != 2) throw new UsageException("--dump-dmesg takes VMCORE and FILE");
        using var src = Open(p);
        var log = KernelLog.Read(src);
        if (log.Records.Count == 0) throw new NotSupportedException($"no kernel log could be read ({string.Join("; ", log.Warnings)})");
        using var output = OutputFile.Create(p.Positional[1], p.Force, [p.Positional[0]]);
        output.Stream.Write(Encoding.UTF8.GetBytes(DmesgVerb.Text(log, false)));
        output.Commit(sync: false);
        return Completed(stdout, $"The dmesg log is saved to {p.Positional[1]}.");
    }

    private static int Rearrange(Parsed p, TextWriter stdout, TextWriter stderr)
    {
        if (p.Positional.Count != 1) throw new UsageException("-R takes DUMPFILE (the stream comes on stdin)");
        using var output = OutputFile.Create(p.Positional[0], p.Force, []);
        using (var stdin = Console.OpenStandardInput())
            Rearranger.Run(new BufferedStream(stdin, 1 << 20), output.Stream);
        output.Commit(sync: false);
        return Completed(stdout, $"The dumpfile is saved to {p.Positional[0]}.");
    }

    private static void Usage(TextWriter w)
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

    /// <summary>-L: behaves like a full disk at SIZE bytes, so fallback levels apply.</summary>
    private sealed class LimitedSink(IOutputSink inner, long limit) : IOutputSink
    {
        public bool CanRewrite => inner.CanRewrite;
        public long BytesWritten => inner.BytesWritten;
        public void WriteAt(long offset, ReadOnlySpan<byte> data)
        {
            if (offset + data.Length > limit) throw new LimitReachedException($"the dump file size limit (-L {limit}) was reached");
            inner.WriteAt(offset, data);
        }
        public void Flush(bool durable) => inner.Flush(durable);
        public void SetLength(long length) => inner.SetLength(length);
        public void Complete() => inner.Complete();
        public void Dispose() { }
    }

    private sealed class LimitReachedException(string message) : IOException(message);

    private sealed class NullSink : IOutputSink
    {
        private long _written;
        public bool CanRewrite => true;
        public long BytesWritten => _written;
        public void WriteAt(long offset, ReadOnlySpan<byte> data) => _written += data.Length;
        public void Flush(bool durable) { }
        public void SetLength(long length) { }
        public void Complete() { }
        public void Dispose() { }
    }
}
