using System.Text;
using System.Text.Json;
using HvDumpKit.Cli.Output;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Verify;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Cli.Verbs;

/// <summary>`hvdump verify`, `hvdump manifest`, `hvdump diff`: exit 0 valid/equal, 1 invalid/different.</summary>
public static class VerifyVerb
{
    private static int Threads(int? t)
        => t is > 0 ? t.Value : t is null ? Environment.ProcessorCount : throw new UsageException("--threads must be positive");

    public static int Run(VerifyOptions o, TextWriter stdout, TextWriter stderr)
    {
        using var keys = AgeKeyring.Use(o.Identity); // an age-encrypted DUMP opens with these
        int threads = Threads(o.Threads);
        using var dump = DumpProbe.Open(o.Dump);
        var golden = o.Golden is null ? null : Reader.Verify.Manifest.Read(o.Golden);
        var r = DumpVerifier.Verify(dump, threads, golden, o.Golden);
        if (o.Json) stdout.Write(JsonText.Object(w => VerifyReportOutput.WriteJson(w, o.Dump, r)));
        else VerifyReportOutput.WriteText(stdout, o.Dump, r);
        return r.Ok ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    public static int Manifest(ManifestOptions o, TextWriter stdout, TextWriter stderr)
    {
        using var keys = AgeKeyring.Use(o.Identity); // an age-encrypted DUMP opens with these
        int threads = Threads(o.Threads);
        string baseName = o.Output.EndsWith(".json", StringComparison.Ordinal) ? o.Output[..^5] : o.Output;
        using var dump = DumpProbe.Open(o.Dump);
        using var json = OutputFile.Create(baseName + ".json", o.Force, [o.Dump]);
        using var digests = OutputFile.Create(baseName + ".digests", o.Force, [o.Dump]);
        var buffered = new BufferedStream(digests.Stream, 1 << 20);
        var m = Reader.Verify.Manifest.Create(dump, baseName + ".json", threads, buffered, Path.GetFileName(baseName) + ".digests");
        buffered.Flush();
        m.WriteJson(json.Stream);
        digests.Commit();
        json.Commit();
        stderr.WriteLine($"hvdump: wrote {baseName}.json and {baseName}.digests ({PfnRanges.Count(m.Present)} pages)");
        return ExitCodes.Ok;
    }

    public static int Diff(DiffOptions o, TextWriter stdout, TextWriter stderr)
    {
        using var keys = AgeKeyring.Use(o.Identity); // an age-encrypted DUMP opens with these
        int threads = Threads(o.Threads);
        using var a = DumpProbe.Open(o.A);
        using var b = DumpProbe.Open(o.B);
        var r = DumpDiff.Compare(a, b, threads);
        if (o.Json)
        {
            stdout.Write(JsonText.Object(w =>
            {
                w.WriteBoolean("same", r.Same);
                w.WriteNumber("equal", r.Equal);
                w.WriteNumber("only_in_a", r.OnlyInA);
                w.WriteNumber("only_in_b", r.OnlyInB);
                w.WriteNumber("different", r.Different);
                w.WriteNumber("beyond_other_end", r.BeyondOtherEnd);
                w.WriteStartObject("only_in_a_why"); foreach (var kv in r.OnlyInAWhy) w.WriteNumber(kv.Key, kv.Value); w.WriteEndObject();
                w.WriteStartObject("only_in_b_why"); foreach (var kv in r.OnlyInBWhy) w.WriteNumber(kv.Key, kv.Value); w.WriteEndObject();
                w.WriteStartArray("differences");
                foreach (var (pfn, off) in r.Differences)
                {
                    w.WriteStartObject(); w.WriteNumber("pfn", pfn);
                    w.WriteNumber("first_byte", off); w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteBoolean("notes_equal", r.NotesEqual);
                w.WriteStartArray("vmcoreinfo_differences"); foreach (var k in r.VmcoreInfoDifferences) w.WriteStringValue(k);
                w.WriteEndArray();
                w.WriteStartArray("errors");
                foreach (var (pfn, why) in r.Errors)
                {
                    w.WriteStartObject(); w.WriteNumber("pfn", pfn); w.WriteString("error", why);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }));
        }
        else
        {
            stdout.WriteLine(r.Same ? "same" : "different");
            stdout.WriteLine($"  {r.Equal} pages equal, {r.Different} different, {r.OnlyInA} only in A, {r.OnlyInB} only in B" +
                (r.BeyondOtherEnd > 0 ? $", {r.BeyondOtherEnd} past the other dump's last PFN (not compared)" : ""));
            if (r.OnlyInA > 0) stdout.WriteLine("  only in A because B has them "
                + string.Join(", ", r.OnlyInAWhy.Select(k => $"{k.Key}: {k.Value}")));
            if (r.OnlyInB > 0) stdout.WriteLine("  only in B because A has them "
                + string.Join(", ", r.OnlyInBWhy.Select(k => $"{k.Key}: {k.Value}")));
            foreach (var (pfn, off) in r.Differences) stdout.WriteLine($"  PFN 0x{pfn:x} differs from byte {off}");
            foreach (var (pfn, why) in r.Errors) stdout.WriteLine($"  PFN 0x{pfn:x}: {why}");
            if (!r.NotesEqual) stdout.WriteLine("  ELF notes differ");
            foreach (var k in r.VmcoreInfoDifferences) stdout.WriteLine($"  VMCOREINFO {k} differs");
        }
        return r.Same ? ExitCodes.Ok : ExitCodes.BadInput;
    }
}
