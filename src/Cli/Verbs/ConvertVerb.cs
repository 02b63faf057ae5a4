using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HvDumpKit.Cli.Output;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Elf;
using HvDumpKit.Writers.Flattened;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Raw;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Cli.Verbs;

/// <summary>`hvdump convert IN OUT --format raw|elf|kdump|flat …`.</summary>
public static class ConvertVerb
{
    public static int Run(ConvertOptions o, TextWriter stdout, TextWriter stderr)
    {
        var outFormat = DumpWriters.Parse(o.Format) ?? throw new UsageException($"--format {o.Format}: expected raw, elf, kdump or flat");
        string format = DumpWriters.Name(outFormat);
        bool toStdout = o.Output == "-";
        if (toStdout
            && outFormat != OutputFormat.Flattened) throw new UsageException("'-' as OUT needs --format flat (a pipe cannot seek)");
        PageCompression comp;
        try { comp = PageCodecs.Parse(o.Compress ?? "zstd"); }
        catch (ArgumentException ex) { throw new UsageException("--compress: " + ex.Message); }
        if (!DumpWriters.Compresses(outFormat) && o.Compress is not null && comp != PageCompression.None)
            throw new UsageException($"--compress applies to kdump and flat output, not {format}");
        if (o.DumpLevel is < 0 or > 31) throw new UsageException($"--dump-level {o.DumpLevel}: expected 0–31");
        if (o.Threads is <= 0) throw new UsageException("--threads must be positive");
        int level = o.CompressLevel ?? PageCodecs.DefaultLevel(comp);
        var encrypt = AgeRecipients.From(o.EncryptTo, o.EncryptToFile, format);
        var options = new WriterOptions
        {
            Compression = DumpWriters.Codec(outFormat, comp),
            CompressionLevel = level,
            DumpLevel = o.DumpLevel,
            Threads = o.Threads ?? MemoryPlan.Threads(),
            Durable = o.Sync,
            MemoryBudget = o.Memory is null ? MemoryPlan.Budget() : MemorySize(o.Memory),
        };
        var progress = toStdout || Console.IsErrorRedirected || o.Json ? null : new TerminalProgress(stderr);
        options = options with { Progress = progress };

        using var keys = AgeKeyring.Use(o.Identity); // an age-encrypted IN opens with these
        using var opened = DumpProbe.OpenWhole(o.Input, vmcoreInfo: VmcoreInfoFile.LoadOptional(o.VmcoreInfo));
        var filtered = FilteredDumpSource.ForLevel(opened, o.DumpLevel);
        if (filtered is { NotClassifying: { } why })
        {
            // A "filtered" output that holds every page, reported as written, would pass for a filtered dump.
            stderr.WriteLine($"hvdump: {o.Input}: cannot filter at dump level {o.DumpLevel}: {why}; nothing written " +
                "(-d 1 needs no page classes)");
            return ExitCodes.BadInput;
        }
        IDumpSource source = filtered ?? opened;
        foreach (var w in filtered?.Warnings.Skip(opened.Warnings.Count) ?? []) stderr.WriteLine($"hvdump: warning: {w}");
        if (options.Compression == PageCompression.Lzo && !LzoPageCodec.IsAvailable())
            throw new NotSupportedException("LZO needs liblzo2.so.2 (Debian package liblzo2-2)");
        var sw = Stopwatch.StartNew();
        WriteSummary summary;
        if (toStdout)
        {
            var stdoutTarget = OutputTarget.ToStream(Console.OpenStandardOutput(), ownsStream: true).EncryptedTo(encrypt);
            using var dump = DumpWriters.Create(outFormat, stdoutTarget);
            summary = dump.Write(source, options);
        }
        else
        {
            var inputs = new List<string> { o.Input };
            string? sidecarPath = outFormat == OutputFormat.Raw ? Reader.Raw.RawSidecar.PathFor(o.Output) : null;
            using var output = OutputFile.Create(o.Output, o.Force, inputs);
            using OutputFile? sidecar = sidecarPath is null ? null : OutputFile.Create(sidecarPath, o.Force, inputs);
            using (var dump = DumpWriters.Create(outFormat, OutputTarget.ToFile(output.Stream).EncryptedTo(encrypt)))
            {
                summary = dump.Write(source, options);
                if (sidecar is not null && dump.Sidecar is not null)
                {
                    dump.Sidecar.Write(sidecar.Stream);
                    sidecar.Commit(o.Sync);
                }
            }
            output.Commit(o.Sync);
        }
        progress?.Done();
        sw.Stop();
        var stats = filtered?.Stats ?? new FilterStats();
        if (filtered is { ProtectedKept: > 0 })
            stderr.WriteLine($"hvdump: warning: {filtered.ProtectedKept} pages holding kernel data (SYMBOL() targets, page tables, " +
                $"mem_section) were classed as excludable and kept");
        // Safety check: after filtering, every SYMBOL() must still read from the output.
        if (filtered is { Classifies: true } && !toStdout && format != "raw" && encrypt is null) // no key here to read it back
        {
            using var written = DumpProbe.Open(o.Output);
            var bad = KernelDataPages.UnreadableSymbols(written, opened);
            if (bad.Count > 0)
                stderr.WriteLine($"hvdump: warning: {bad.Count} VMCOREINFO symbols do not read from the output: " +
                $"{string.Join(", ", bad.Take(8))}");
        }
        if (o.Stats) ConversionReport.PrintStats(summary, stats, options, stderr);
        ConversionReport.Report(o, format, options, summary, stats, source.Warnings, sw.Elapsed, toStdout ? stderr : stdout, stderr);
        return ExitCodes.Ok;
    }

    private static long MemorySize(string s)
    {
        long bytes = ByteSize.TryParse(s) ?? throw new UsageException($"--memory {ByteSize.Number(s.Trim())}: expected a size such as 32M");
        if (bytes < 1L << 20) throw new UsageException("--memory must be at least 1M");
        return bytes;
    }
}
