using System.Text;
using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Cli.Verbs;

/// <summary>`hvdump dmesg DUMP [OUT] [--caller] [--json]`: exit 0 with the log, 1 when none could be read.</summary>
public static class DmesgVerb
{
    public static int Run(DmesgOptions o, TextWriter stdout, TextWriter stderr)
    {
        using var keys = AgeKeyring.Use(o.Identity); // an age-encrypted DUMP opens with these
        using var src = DumpProbe.Open(o.Dump, vmcoreInfo: VmcoreInfoFile.LoadOptional(o.VmcoreInfo));
        var log = KernelLog.Read(src);
        foreach (var w in log.Warnings) stderr.WriteLine($"hvdump: warning: {w}");
        if (log.Records.Count == 0)
        {
            stderr.WriteLine($"hvdump: {o.Dump}: no kernel log could be read");
            return ExitCodes.BadInput;
        }
        string text = o.Json ? Json(log) : log.Text(o.Caller);
        if (o.Output is null)
        {
            stdout.Write(text);
            return ExitCodes.Ok;
        }
        using var output = OutputFile.Create(o.Output, o.Force, [o.Dump]);
        var bytes = Encoding.UTF8.GetBytes(text);
        output.Stream.Write(bytes);
        output.Stream.Flush();
        output.Commit();
        return ExitCodes.Ok;
    }

    private static string Json(KernelLog log) => JsonText.Object(w =>
    {
        w.WriteString("format", log.Format);
        w.WriteStartArray("records");
        foreach (var r in log.Records)
        {
            w.WriteStartObject();
            w.WriteNumber("sequence", r.Sequence);
            w.WriteNumber("timestamp_ns", r.TimestampNs);
            w.WriteNumber("level", r.Level);
            w.WriteNumber("facility", r.Facility);
            if (r.Caller is { } c) w.WriteString("caller", c); else w.WriteNull("caller");
            w.WriteString("text", r.PlainText);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("warnings");
        foreach (var x in log.Warnings) w.WriteStringValue(x);
        w.WriteEndArray();
    });
}
