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
        return new RegionMap(regions, Validate(regions), "release_region");
    }

    /// <summary>
    /// FADump's debugfs view: `CPU : [0x…-0x…] 0x… bytes, Dumped: 0x…` (inclusive end),
    /// `DUMP: Src: 0x…, Dest: 0x…, Size: 0x…, Dumped: 0x… bytes`, and an unlabelled
    /// `[0x…-0x…]` line for the rest of reserved memory in the capture boot.
    /// </summary>
    public static RegionMap ParseFadumpRegion(string text)
    {
        var regions = new List<MemoryRegion>();
        int lineStart = 0;
        foreach (var line in text.Split('\n'))
        {
            var l = line.TrimEnd('\r');
            int p = 0;
            SkipWs(l, ref p);
            if (p >= l.Length) { lineStart += line.Length + 1; continue; }
            var kind = RegionKind.Reserved;
            int colon = l.IndexOf(':');
            if (colon > 0 && l[..colon].Trim() is var lab && lab is "CPU" or "HPTE" or "DUMP")
            {
                kind = lab switch { "CPU" => RegionKind.Cpu, "HPTE" => RegionKind.Hpte, _ => RegionKind.Dump };
                p = colon + 1;
            }
            SkipWs(l, ref p);
            if (p < l.Length && l[p] == '[')
            {
                p++;
                int col = p;
                ulong start = Hex(l, ref p, lineStart);
                Expect(l, ref p, '-', lineStart);
                ulong endIncl = Hex(l, ref p, lineStart);
                Expect(l, ref p, ']', lineStart);
                if (endIncl < start) throw Error(lineStart + col, "has an end below its start");
                regions.Add(new MemoryRegion(kind, start, endIncl - start + 1, start, lineStart + col + 1));
            }
            else if (l.IndexOf("Src:", p, StringComparison.Ordinal) is int s && s >= 0)
            {
                ulong src = Field(l, "Src:", lineStart), dest = Field(l, "Dest:", lineStart), size = Field(l, "Size:", lineStart);
                regions.Add(new MemoryRegion(kind, dest, size, src, lineStart + s + 1));
            }
            else
                throw Error(lineStart + p, $"has '{Snippet(l, p)}' where '[start-end]' or 'Src:' was expected");
            lineStart += line.Length + 1;
        }
        if (regions.Count == 0) throw Error(0, "lists no regions");
        return new RegionMap(regions, Validate(regions), "fadump_region");
    }

    private static ulong Field(string l, string name, int lineStart)
    {
        int at = l.IndexOf(name, StringComparison.Ordinal);
        if (at < 0) throw Error(lineStart, $"lacks '{name}'");
        int p = at + name.Length;
        SkipWs(l, ref p);
        return Hex(l, ref p, lineStart);
    }

    private static List<string> Validate(List<MemoryRegion> regions)
    {
        var w = new List<string>();
        foreach (var r in regions)
        {
            if (r.Size == 0) w.Add($"{r.Label} region at column {r.Column} has length 0");
            if ((r.Address & 0xFFF) != 0 || (r.Size & 0xFFF) != 0)
                w.Add($"{r.Label} region 0x{r.Address:x}+0x{r.Size:x} (column {r.Column}) is not page aligned");
        }
        var sorted = regions.OrderBy(r => r.Address).ToList();
        for (int i = 1; i < sorted.Count; i++)
            for (int j = 0; j < i; j++)
                if (sorted[j].End > sorted[i].Address && sorted[i].Size > 0 && sorted[j].Size > 0)
                    w.Add($"{sorted[i].Label} region 0x{sorted[i].Address:x}+0x{sorted[i].Size:x} (column {sorted[i].Column}) overlaps " +
                          $"{sorted[j].Label} region 0x{sorted[j].Address:x}+0x{sorted[j].Size:x} (column {sorted[j].Column})");
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
