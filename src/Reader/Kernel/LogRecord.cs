using System.Globalization;
using System.Text;

namespace HvDumpKit.Reader.Kernel;

/// <summary>One printk record: sequence, timestamp, level, facility, caller, text.</summary>
public sealed record LogRecord(ulong Sequence, ulong TimestampNs, int Level, int Facility, uint? CallerId, byte[] Text)
{
    /// <summary>"T123" for a task, "C4" for a CPU (bit 31 of caller_id).</summary>
    public string? Caller => CallerId is uint c ? ((c & 0x80000000) != 0 ? $"C{c & 0x7FFFFFFF}" : $"T{c}") : null;

    /// <summary>makedumpfile's PID_CHARS_DEFAULT: the caller column's width (right-aligned, never cut).</summary>
    public const int CallerWidth = 8;

    /// <summary>
    /// `[%5llu.%06lu] ` and, with withCaller and a caller id, makedumpfile 1.7.5+'s `[%*s] ` at
    /// width 8 (`[      T0] `). makedumpfile prints the column whenever VMCOREINFO has the caller_id
    /// offset, which every 5.10+ kernel exports; 1.7.2 never does, hence the choice.
    /// </summary>
    public string Prefix(bool withCaller)
    {
        string ts = string.Create(CultureInfo.InvariantCulture,
            $"[{TimestampNs / 1_000_000_000,5}.{TimestampNs % 1_000_000_000 / 1000:D6}] ");
        return withCaller && Caller is { } c ? ts + $"[{c,CallerWidth}] " : ts;
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
