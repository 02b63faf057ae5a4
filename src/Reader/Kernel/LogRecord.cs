using System.Globalization;
using System.Text;

namespace HvDumpKit.Reader.Kernel;

/// <summary>One printk record: sequence, timestamp, level, facility, caller, text.</summary>
public sealed record LogRecord(ulong Sequence, ulong TimestampNs, int Level, int Facility, uint? CallerId, byte[] Text)
{
    /// <summary>"T123" for a task, "C4" for a CPU (bit 31 of caller_id).</summary>
    public string? Caller => CallerId is uint c ? ((c & 0x80000000) != 0 ? $"C{c & 0x7FFFFFFF}" : $"T{c}") : null;

    public string Prefix(bool withCaller)
    {
        string ts = string.Create(CultureInfo.InvariantCulture,
            $"[{TimestampNs / 1_000_000_000,5}.{TimestampNs % 1_000_000_000 / 1000:D6}] ");
        return withCaller && Caller is { } c ? ts + $"[{c,6}] " : ts;
    }

    /// <summary>
    /// As makedumpfile --dump-dmesg prints it: bytes neither printable nor space as \xNN, continuation lines
    /// indented under the text.
    /// </summary>
    public string Format(bool withCaller)
    {
        string prefix = Prefix(withCaller);
        var sb = new StringBuilder(prefix);
        foreach (byte b in Text)
        {
            if (b == (byte)'\n') sb.Append('\n').Append(' ', prefix.Length);
            else if ((b >= 0x20 && b < 0x7F) || b is (byte)'\t' or 0x0B or 0x0C or (byte)'\r') sb.Append((char)b); // isprint || isspace
            else sb.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
        }
        return sb.ToString();
    }

    public string PlainText => Encoding.UTF8.GetString(Text);
}
