using System.Globalization;

namespace HvDumpKit.Reader.Regions;

/// <summary>
/// The reserved-memory map of a hypervisor- or firmware-assisted dump: the original
/// /sys/kernel/release_region line (`CPU:a-s: HPTE:a-s: DUMP:a-s, a-s`) or the FADump debugfs
/// file /sys/kernel/debug/powerpc/fadump_region (fadump.md §1–2). Parsed as written; overlap and
/// misalignment are warnings — deciding what to release is the save command's job.
/// </summary>
public sealed class RegionMap
{
    public RegionMap(IReadOnlyList<MemoryRegion> regions, IReadOnlyList<string> warnings, string format)
    {
        Regions = regions;
        Warnings = warnings;
        Format = format;
    }

    public IReadOnlyList<MemoryRegion> Regions { get; }
    public IReadOnlyList<string> Warnings { get; }
    /// <summary>"release_region" or "fadump_region".</summary>
    public string Format { get; }

    public const string ReleaseRegionFormat = "release_region", FadumpFormat = "fadump_region";

    /// <summary>
    /// fadump_region only: whether a dump is active — the kernel writes the "Memory above … is
    /// reserved" line only in the capture boot, and the firmware's Dumped counts are 0 until it has
    /// copied memory (a first boot with FADump registered, or after release_mem). Null for release_region,
    /// which exists only in a capture boot.
    /// </summary>
    public bool? DumpActive { get; init; }
    /// <summary>fadump_region's "Memory above X is reserved for saving crash dump": X.</summary>
    public ulong? ReservedAbove { get; init; }
    /// <summary>fadump_region's parameter area (the "cmdline append" line), if written.</summary>
    public FadumpParamArea? ParamArea { get; init; }
    /// <summary>fadump_region's lines that are not areas ("Memory above …", unknown region types, other text).</summary>
    public IReadOnlyList<RegionMapLine> OtherLines { get; init; } = [];

    public static RegionMap ParseFile(string path, DumpLimits? limits = null)
    {
        limits ??= DumpLimits.Default;
        string text;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None))
        {
            var buf = new byte[limits.MaxRegionMapBytes + 1];
            int total = 0, n;
            while (total < buf.Length && (n = fs.Read(buf, total, buf.Length - total)) > 0) total += n;
            if (total > limits.MaxRegionMapBytes)
                throw new DumpFormatException(path, limits.MaxRegionMapBytes, "region map", null,
                    $"is longer than {limits.MaxRegionMapBytes} bytes");
            text = System.Text.Encoding.ASCII.GetString(buf, 0, total);
        }
        try { return Parse(text); }
        catch (DumpFormatException ex) { throw ex.WithFile(path); }
    }

    public static RegionMap Parse(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Contains('[') || trimmed.Contains("Src:", StringComparison.Ordinal))
            return ParseFadumpRegion(text);
        return ParseReleaseRegion(text);
    }

    /// <summary>`CPU:0x177fee000-0x10000: HPTE:0x177ffe020-0x1000: DUMP:0x177fff020-0x10000000, 0x10000000-0x16F1D370A`</summary>
    public static RegionMap ParseReleaseRegion(string text)
    {
        var regions = new List<MemoryRegion>();
        int pos = 0;
        SkipWs(text, ref pos);
        if (pos >= text.Length)
            throw Error(pos, "is empty");
        while (pos < text.Length)
        {
            int labelAt = pos;
            while (pos < text.Length && char.IsAsciiLetterUpper(text[pos])) pos++;
            string label = text[labelAt..pos];
            var kind = label switch
            {
                "CPU" => RegionKind.Cpu,
                "HPTE" => RegionKind.Hpte,
                "DUMP" => RegionKind.Dump,
                _ => throw Error(labelAt, $"has '{Snippet(text, labelAt)}' where CPU:, HPTE: or DUMP: was expected"),
            };
            SkipWs(text, ref pos);
            Expect(text, ref pos, ':');
            int pairIndex = 0;
            while (true)
            {
                SkipWs(text, ref pos);
                int col = pos;
                ulong addr = Hex(text, ref pos);
                SkipWs(text, ref pos);
                Expect(text, ref pos, '-');
                SkipWs(text, ref pos);
                ulong size = Hex(text, ref pos);
                if (addr + size < addr) throw Error(col, "has an address and length that wrap around 2^64");
                // The first DUMP pair is the copy of the real-mode region (physical 0); the rest is RAM in place.
                ulong source = kind == RegionKind.Dump && pairIndex == 0 ? 0 : addr;
                regions.Add(new MemoryRegion(kind, addr, size, source, col + 1));
                pairIndex++;
                SkipWs(text, ref pos);
                if (pos < text.Length && text[pos] == ',') { pos++; continue; }
                if (pos < text.Length && text[pos] == ':') { pos++; }
                break;
            }
            SkipWs(text, ref pos);
        }
        return new RegionMap(regions, Validate(regions), ReleaseRegionFormat);
    }

    /// <summary>FADump's debugfs view, in every shape the kernel writes it (FadumpRegionText).</summary>
    public static RegionMap ParseFadumpRegion(string text) => FadumpRegionText.Parse(text);

    private static List<string> Validate(List<MemoryRegion> regions)
    {
        var w = new List<string>();
        foreach (var r in regions)
        {
            if (r.Size == 0) w.Add($"{r.Label} region at column {r.Column} has length 0");
            if ((r.Address & 0xFFF) != 0 || (r.Size & 0xFFF) != 0)
                w.Add($"{r.Label} region 0x{r.Address:x}+0x{r.Size:x} (column {r.Column}) is not page aligned");
        }
        w.AddRange(RegionOverlap.Warnings(regions));
        return w;
    }

    private static void SkipWs(string s, ref int p) { while (p < s.Length && char.IsWhiteSpace(s[p])) p++; }

    private static void Expect(string s, ref int p, char c, int baseCol = 0)
    {
        if (p >= s.Length || s[p] != c)
            throw Error(baseCol + p, $"has '{Snippet(s, p)}' where '{c}' was expected");
        p++;
    }

    private static ulong Hex(string s, ref int p, int baseCol = 0)
    {
        int start = p;
        if (p + 1 < s.Length && s[p] == '0' && (s[p + 1] == 'x' || s[p + 1] == 'X')) p += 2;
        int digits = p;
        while (p < s.Length && char.IsAsciiHexDigit(s[p])) p++;
        if (p == digits)
            throw Error(baseCol + start, $"has '{Snippet(s, start)}' where a hexadecimal number was expected");
        if (!ulong.TryParse(s.AsSpan(digits, p - digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
            throw Error(baseCol + start, $"has '{s[start..p]}', which does not fit in 64 bits");
        return v;
    }

    private static string Snippet(string s, int p) => p >= s.Length ? "end of text" : new string(s.AsSpan(p, Math.Min(12, s.Length - p)));

    /// <summary>Offset is the 0-based character index; messages name the 1-based column.</summary>
    private static DumpFormatException Error(int index, string problem) =>
        new(null, index, "region map", null, $"(column {index + 1}) {problem}");
}
