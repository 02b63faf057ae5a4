using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
        using var keys = AgeKeyring.Use(o.Identity); // an age-encrypted DUMP opens with these
        string format = o.Format.ToLowerInvariant();
        if (format is not ("raw" or "elf" or "kdump" or "flat" or "flattened"))
            throw new UsageException($"--format {o.Format}: expected raw, elf, kdump or flat");
        if (format == "flattened") format = "flat";
        bool toStdout = o.Output == "-";
        if (toStdout && format != "flat") throw new UsageException("'-' as OUT needs --format flat (a pipe cannot seek)");
        PageCompression comp;
        try { comp = PageCodecs.Parse(o.Compress ?? "zstd"); }
        catch (ArgumentException ex) { throw new UsageException("--compress: " + ex.Message); }
        if (format is "raw" or "elf" && o.Compress is not null && comp != PageCompression.None)
            throw new UsageException($"--compress applies to kdump and flat output, not {format}");
        if (o.DumpLevel is < 0 or > 31) throw new UsageException($"--dump-level {o.DumpLevel}: expected 0–31");
        if (o.Threads is <= 0) throw new UsageException("--threads must be positive");
        int level = o.CompressLevel ?? PageCodecs.DefaultLevel(comp);
        var encrypt = AgeRecipients.From(o.EncryptTo, o.EncryptToFile, format);
        var options = new WriterOptions
        {
            Compression = format is "kdump" or "flat" ? comp : PageCompression.None,
            CompressionLevel = level,
            DumpLevel = o.DumpLevel,
            Threads = o.Threads ?? MemoryPlan.Threads(),
            Durable = o.Sync,
            MemoryBudget = o.Memory is null ? MemoryPlan.Budget() : ParseSize(o.Memory),
        };
        var progress = toStdout || Console.IsErrorRedirected || o.Json ? null : new TerminalProgress(stderr);
        options = options with { Progress = progress };

        using var opened = DumpProbe.OpenWhole(o.Input, vmcoreInfo: VmcoreInfoFile.LoadOptional(o.VmcoreInfo));
        var filtered = (o.DumpLevel & ~DumpLevel.Zero) != 0 ? new FilteredDumpSource(opened, o.DumpLevel) : null;
        IDumpSource source = filtered ?? opened;
        foreach (var w in filtered?.Warnings.Skip(opened.Warnings.Count) ?? []) stderr.WriteLine($"hvdump: warning: {w}");
        if (options.Compression == PageCompression.Lzo && !LzoPageCodec.IsAvailable())
            throw new NotSupportedException("LZO needs liblzo2.so.2 (Debian package liblzo2-2)");
        var sw = Stopwatch.StartNew();
        WriteSummary summary;
        IDumpWriter writer = format switch
        {
            "raw" => new RawWriter(),
            "elf" => new ElfWriter(),
            _ => new KdumpWriter(),
        };
        if (toStdout)
        {
            using var stdoutStream = Console.OpenStandardOutput();
            using var sink = AgeOutput.Flattened(encrypt, new BufferedStream(stdoutStream, 1 << 20), ownsStream: true);
            summary = writer.Write(source, sink, options);
        }
        else
        {
            var inputs = new List<string> { o.Input };
            string? sidecarPath = format == "raw" ? Reader.Raw.RawSidecar.PathFor(o.Output) : null;
            using var output = OutputFile.Create(o.Output, o.Force, inputs);
            using OutputFile? sidecar = sidecarPath is null ? null : OutputFile.Create(sidecarPath, o.Force, inputs);
            if (format == "flat")
            {
                var buffered = new BufferedStream(output.Stream, 1 << 20);
                using var sink = AgeOutput.Flattened(encrypt, buffered, ownsStream: false);
                summary = writer.Write(source, sink, options);
                buffered.Flush();
            }
            else
            {
                using var sink = AgeOutput.File(encrypt, output.Handle);
                summary = writer.Write(source, sink, options);
            }
            if (sidecar is not null && writer is RawWriter rw && rw.Sidecar is not null)
            {
                rw.Sidecar.Write(sidecar.Stream);
                sidecar.Commit(o.Sync);
            }
            output.Commit(o.Sync);
        }
        progress?.Done();
        sw.Stop();
        var stats = filtered?.Stats ?? new FilterStats();
        if (filtered is { ProtectedKept: > 0 })
            stderr.WriteLine($"hvdump: warning: {filtered.ProtectedKept} pages holding kernel data (SYMBOL() targets, page tables, mem_section) were classed as excludable and kept");
        // Safety check: after filtering, every SYMBOL() must still read from the output.
        if (filtered is { Classifies: true } && !toStdout && format != "raw" && encrypt is null) // no key here to read it back
        {
            using var written = DumpProbe.Open(o.Output);
            var bad = KernelDataPages.UnreadableSymbols(written);
            if (bad.Count > 0) stderr.WriteLine($"hvdump: warning: {bad.Count} VMCOREINFO symbols do not read from the output: {string.Join(", ", bad.Take(8))}");
        }
        if (o.Stats) PrintStats(summary, stats, options, stderr);
        Report(o, format, options, summary, stats, sw.Elapsed, toStdout ? stderr : stdout, stderr);
        return ExitCodes.Ok;
    }

    public static long ParseSize(string s)
    {
        s = s.Trim();
        long mult = 1;
        char last = char.ToUpperInvariant(s[^1]);
        if (last is 'K' or 'M' or 'G') { mult = last switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 }; s = s[..^1]; }
        if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v <= 0)
            throw new UsageException($"--memory {s}: expected a size such as 32M");
        long bytes = v * mult;
        if (bytes < 1L << 20) throw new UsageException("--memory must be at least 1M");
        return bytes;
    }

    /// <summary>Zero pages excluded: kdump shares one page for them, ELF and raw leave holes.</summary>
    private static ulong ZeroExcluded(WriteSummary s, WriterOptions opt) =>
        DumpLevel.ExcludesZero(opt.DumpLevel) ? (s.ZeroPagesExcluded > 0 ? s.ZeroPagesExcluded : s.ZeroPages) : 0;

    /// <summary>makedumpfile's report, same labels and hex widths, so scripts that read it keep working.</summary>
    public static void PrintStats(WriteSummary s, FilterStats f, WriterOptions opt, TextWriter w)
    {
        ulong zero = ZeroExcluded(s, opt);
        ulong excluded = f.Total + zero;
        ulong original = s.PagesRam;
        ulong remaining = original - Math.Min(original, excluded);
        w.WriteLine();
        w.WriteLine($"Original pages  : 0x{original:x16}");
        w.WriteLine($"  Excluded pages   : 0x{excluded:x16}");
        w.WriteLine($"    Pages filled with zero  : 0x{zero:x16}");
        w.WriteLine($"    Non-private cache pages : 0x{f.Cache:x16}");
        w.WriteLine($"    Private cache pages     : 0x{f.CachePrivate:x16}");
        w.WriteLine($"    User process data pages : 0x{f.User:x16}");
        w.WriteLine($"    Free pages              : 0x{f.Free:x16}");
        w.WriteLine($"    Hwpoison pages          : 0x{f.HwPoison:x16}");
        w.WriteLine($"    Offline pages           : 0x{f.Offline:x16}");
        w.WriteLine($"  Remaining pages  : 0x{remaining:x16}");
        w.WriteLine($"  (The number of pages is reduced to {(original == 0 ? 100 : remaining * 100 / original)}%.)");
        w.WriteLine($"Memory Hole     : 0x{s.MaxMapnr - Math.Min(s.MaxMapnr, original):x16}");
        w.WriteLine("--------------------------------------------------");
        w.WriteLine($"Total pages     : 0x{s.MaxMapnr:x16}");
        w.WriteLine($"Write bytes     : {s.BytesOut}");
        w.WriteLine();
    }

    private static void Report(ConvertOptions o, string format, WriterOptions opt, WriteSummary s, FilterStats f, TimeSpan t, TextWriter json, TextWriter stderr)
    {
        double secs = Math.Max(t.TotalSeconds, 1e-6);
        string codec = format is "kdump" or "flat" ? PageCodecs.Name(opt.Compression) : "none";
        if (o.Json)
        {
            json.Write(JsonText.Object(w =>
            {
            w.WriteString("input", o.Input);
            w.WriteString("output", o.Output);
            w.WriteString("format", format);
            w.WriteString("compression", codec);
            w.WriteNumber("compression_level", opt.CompressionLevel);
            w.WriteNumber("dump_level", opt.DumpLevel);
            w.WriteNumber("pages_ram", s.PagesRam);
            w.WriteNumber("pages_in_source", s.PagesInSource);
            w.WriteNumber("pages_written", s.PagesWritten);
            if (s.CopiedFromFile) w.WriteNull("zero_pages"); else w.WriteNumber("zero_pages", s.ZeroPages);
            w.WriteBoolean("copied_from_file", s.CopiedFromFile);
            w.WriteNumber("zero_pages_excluded", s.ZeroPagesExcluded);
            w.WriteNumber("compressed_pages", s.CompressedPages);
            w.WriteNumber("raw_pages", s.RawPages);
            w.WriteNumber("lost_pages", s.LostPages);
            w.WriteNumber("bytes_out", s.BytesOut);
            w.WriteNumber("max_mapnr", s.MaxMapnr);
            w.WriteStartObject("excluded");
            w.WriteNumber("zero", ZeroExcluded(s, opt));
            w.WriteNumber("cache", f.Cache);
            w.WriteNumber("cache_private", f.CachePrivate);
            w.WriteNumber("user", f.User);
            w.WriteNumber("free", f.Free);
            w.WriteNumber("hwpoison", f.HwPoison);
            w.WriteNumber("offline", f.Offline);
            w.WriteEndObject();
            w.WriteNumber("seconds", Math.Round(secs, 3));
            }));
            return;
        }
        stderr.WriteLine($"hvdump: wrote {o.Output} ({format}, {codec}, dump level {opt.DumpLevel}): " +
            $"{s.PagesWritten} of {s.PagesInSource} pages ({(s.CopiedFromFile ? "copied file to file" : $"{s.ZeroPages} zero")}, {s.CompressedPages} compressed, {s.RawPages} raw" +
            $"{(s.LostPages > 0 ? $", {s.LostPages} LOST" : "")}), {s.BytesOut / 1048576.0:F1} MiB in {secs:F2} s");
    }
}
