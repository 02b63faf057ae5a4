using HvDumpKit.Reader.Codecs;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Cli.Output;

/// <summary>What a conversion did: hvdump's summary line or JSON, and makedumpfile's --show-stats report.</summary>
public static class ConversionReport
{
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

    public static void Report(ConvertOptions o, string format, WriterOptions opt, WriteSummary s, FilterStats f,
        IReadOnlyList<string> warnings, TimeSpan t, TextWriter json, TextWriter stderr)
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
                // What the filter could not do (a rule off for want of a VMCOREINFO key) belongs with its counts.
                w.WriteStartArray("warnings");
                foreach (var x in warnings) w.WriteStringValue(x);
                w.WriteEndArray();
                w.WriteNumber("seconds", Math.Round(secs, 3));
            }));
            return;
        }
        stderr.WriteLine($"hvdump: wrote {o.Output} ({format}, {codec}, dump level {opt.DumpLevel}): " +
            $"{s.PagesWritten} of {s.PagesInSource} pages ({(s.CopiedFromFile ? "copied file to file" : $"{s.ZeroPages} zero")}, " +
                $"{s.CompressedPages} compressed, {s.RawPages} raw" +
            $"{(s.LostPages > 0 ? $", {s.LostPages} LOST" : "")}), {s.BytesOut / 1048576.0:F1} MiB in {secs:F2} s");
    }
}
