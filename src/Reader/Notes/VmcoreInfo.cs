using System.Globalization;
using System.Text;

namespace HvDumpKit.Reader.Notes;

/// <summary>
/// The VMCOREINFO text (kernel/vmcore_info.c): KEY=VALUE lines. Typed accessors follow the
/// kernel's printing macros: SYMBOL() and KERNELOFFSET are hex without 0x; SIZE/OFFSET/LENGTH
/// decimal; NUMBER() signed decimal except where arches print 0x-prefixed hex.
/// </summary>
public sealed class VmcoreInfo
{
    private readonly Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _ordered = new();

    public VmcoreInfo(string text)
    {
        Text = text;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r', '\0');
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq];
            var value = line[(eq + 1)..];
            _ordered.Add(new(key, value));
            _entries[key] = value; // later lines win, as the kernel appends CRASHTIME last
        }
    }

    public static VmcoreInfo FromBytes(ReadOnlySpan<byte> desc)
    {
        int nul = desc.IndexOf((byte)0);
        if (nul >= 0) desc = desc[..nul];
        return new VmcoreInfo(Encoding.ASCII.GetString(desc));
    }

    public string Text { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Entries => _ordered;
    public int Count => _ordered.Count;

    public string? this[string key] => _entries.TryGetValue(key, out var v) ? v : null;

    public string? OsRelease => this["OSRELEASE"];
    public string? BuildId => this["BUILD-ID"];
    public int? PageSize => ParseDecimal(this["PAGESIZE"]) is long v && v > 0 && v <= int.MaxValue ? (int)v : null;
    public long? CrashTime => ParseDecimal(this["CRASHTIME"]);
    public ulong? KernelOffset => ParseHex(this["KERNELOFFSET"]);

    /// <summary>
    /// NUMBER(phys_base): signed decimal (negative under KASLR); returned as the 64-bit pattern. arm64
    /// publishes its counterpart as NUMBER(PHYS_OFFSET) (memstart_addr), which makedumpfile writes as
    /// the kdump header's phys_base; no kernel publishes both.
    /// </summary>
    public ulong? PhysBase => (Number("phys_base") ?? Number("PHYS_OFFSET")) is long v ? unchecked((ulong)v) : null;

    public ulong? Symbol(string name) => ParseHex(this[$"SYMBOL({name})"]);
    public long? Size(string type) => ParseDecimal(this[$"SIZE({type})"]);
    public long? Offset(string member) => ParseDecimal(this[$"OFFSET({member})"]);
    public long? Length(string name) => ParseDecimal(this[$"LENGTH({name})"]);

    /// <summary>makedumpfile's rule: decimal; if characters remain, hex (with or without 0x).</summary>
    public long? Number(string name) => ParseNumber(this[$"NUMBER({name})"]);

    public IEnumerable<string> Symbols => _ordered.Select(e => e.Key).Where(k => k.StartsWith("SYMBOL(", StringComparison.Ordinal));

    public static long? ParseDecimal(string? s)
    {
        if (s is null) return null;
        return long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    public static ulong? ParseHex(string? s)
    {
        if (s is null) return null;
        s = s.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        return ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    public static long? ParseNumber(string? s)
    {
        if (s is null) return null;
        if (ParseDecimal(s) is long d) return d;
        return ParseHex(s) is ulong h ? unchecked((long)h) : null;
    }
}
