using System.Globalization;

namespace HvDumpKit.Reader.Regions;

/// <summary>
/// FADump's debugfs file /sys/kernel/debug/powerpc/fadump_region, parsed in every shape the
/// kernel's seq_printf calls produce (arch/powerpc/kernel/fadump.c before 5.7,
/// platforms/pseries/rtas-fadump.c and platforms/powernv/opal-fadump.c since):
/// <code>
/// CPU : [0x…-0x…] 0x… bytes, Dumped: 0x…      (before 5.7; "HPTE: [", "DUMP: [" likewise)
///     : [0x…-0x…] 0x… bytes, Dumped: 0x…      (before 5.7, dump active: reserved memory below the CPU area)
/// CPU :[0x…-0x…] 0x… bytes, Dumped: 0x…       (RTAS since 5.7; "HPTE:[" likewise)
/// DUMP: Src: 0x…, Dest: 0x…, Size: 0x…, Dumped: 0x… bytes   (one per boot-memory range)
/// [0x…-0x…]: cmdline append: '…'              (the parameter area, 6.10+)
/// Unknown region type N : Src: 0x…, Dest: 0x…,  (no newline: the next area follows on the line)
/// Memory above 0x… is reserved for saving crash dump   (dump active, since 5.7)
/// </code>
/// Ranges are [destination, destination + length − 1], so a zero-length area (the HPTE area on a
/// radix MMU) is written with its end one below its start. `%#016llx` keeps the 0x of a zero.
/// Blank lines and any text the kernel may add are kept, never an error; a line that starts
/// like an area but does not parse is one, with its line and column.
/// </summary>
public static class FadumpRegionText
{
    private const string UnknownType = "Unknown region type";
    private const string MemoryAbove = "Memory above";
    private const string CmdlineAppend = "cmdline append:";

    public static RegionMap Parse(string text)
    {
        var regions = new List<MemoryRegion>();
        var other = new List<RegionMapLine>();
        var warnings = new List<string>();
        FadumpParamArea? param = null;
        ulong? reservedAbove = null;
        int lineStart = 0, lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var l = raw.TrimEnd('\r');
            var at = new Cursor(l, lineNo, lineStart);
            lineStart += raw.Length + 1;
            at.SkipWs();
            if (at.AtEnd) continue;
            while (!at.AtEnd)
            {
                int col = at.Pos;
                if (at.Rest.StartsWith(UnknownType, StringComparison.Ordinal))
                {
                    // A region type newer than the kernel that printed it knows: its Src/Dest are
                    // printed without a newline, so the next area follows on the same line.
                    int next = NextAreaStart(l, col + UnknownType.Length);
                    other.Add(new RegionMapLine(lineNo, l[col..next].TrimEnd()));
                    at.Pos = next;
                    at.SkipWs();
                    continue;
                }
                if (at.Rest.StartsWith(MemoryAbove, StringComparison.Ordinal))
                {
                    at.Pos += MemoryAbove.Length;
                    at.SkipWs();
                    reservedAbove = at.Hex();
                    other.Add(new RegionMapLine(lineNo, l[col..].TrimEnd()));
                    break;
                }
                if (Label(at) is { } kind)
                {
                    regions.Add(Area(at, kind));
                    at.SkipWs();
                    if (!at.AtEnd && !at.Rest.StartsWith(UnknownType, StringComparison.Ordinal))
                        throw at.Error($"has '{at.Snippet()}' after the area where the line should end");
                    continue;
                }
                if (at.Peek == '[' && l.IndexOf(CmdlineAppend, col, StringComparison.Ordinal) >= 0)
                {
                    at.Pos++;
                    var (start, size) = at.InclusiveRange();
                    int quote = l.IndexOf('\'', l.IndexOf(CmdlineAppend, col, StringComparison.Ordinal));
                    int close = l.LastIndexOf('\'');
                    string append = quote >= 0 && close > quote ? l[(quote + 1)..close] : "";
                    param = new FadumpParamArea(start, size, append, lineNo);
                    break;
                }
                other.Add(new RegionMapLine(lineNo, l[col..].TrimEnd()));
                break;
            }
        }
        if (regions.Count == 0) throw new DumpFormatException(null, 0, "region map", null, "(line 1) lists no CPU, HPTE or DUMP area");
        foreach (var r in regions.Where(r => r.Dumped is ulong d && d != 0 && d != r.Size))
            warnings.Add($"{r.Label} area 0x{r.Address:x}+0x{r.Size:x} (line {r.Line}) has 0x{r.Dumped:x} of its " +
                $"0x{r.Size:x} bytes dumped");
        // The firmware copies boot memory by pages; the CPU and HPTE areas are byte counts.
        foreach (var r in regions.Where(r => r.Kind is RegionKind.Dump or RegionKind.Reserved))
            if ((r.Address & 0xFFF) != 0 || (r.Size & 0xFFF) != 0 || (r.SourceAddress & 0xFFF) != 0)
                warnings.Add($"{r.Label} area 0x{r.Address:x}+0x{r.Size:x} (line {r.Line}) is not page aligned");
        warnings.AddRange(RegionOverlap.Warnings(regions));
        bool active = reservedAbove is not null || regions.Any(r => r.Dumped is > 0);
        return new RegionMap(regions, warnings, RegionMap.FadumpFormat)
        {
            DumpActive = active,
            ReservedAbove = reservedAbove,
            ParamArea = param,
            OtherLines = other,
        };
    }

    /// <summary>The area label at the cursor ("CPU :", "HPTE:", "DUMP:", or the label-less "    :" of reserved memory), consumed.</summary>
    private static RegionKind? Label(Cursor at)
    {
        var rest = at.Rest;
        foreach (var (name, kind) in new[] { ("CPU", RegionKind.Cpu), ("HPTE", RegionKind.Hpte), ("DUMP", RegionKind.Dump) })
        {
            if (!rest.StartsWith(name, StringComparison.Ordinal)) continue;
            int p = name.Length;
            while (p < rest.Length && rest[p] == ' ') p++;
            if (p < rest.Length && rest[p] == ':') { at.Pos += p + 1; return kind; }
        }
        // Before 5.7 the reserved range's label is four spaces, already skipped: the line starts ": [".
        if (rest.StartsWith(':') && rest.TrimStart(':').TrimStart().StartsWith('['))
        {
            at.Pos++;
            return RegionKind.Reserved;
        }
        return null;
    }

    /// <summary>`[start-end] 0xSIZE bytes, Dumped: 0xN` or `Src: 0x…, Dest: 0x…, Size: 0x…, Dumped: 0x… bytes`.</summary>
    private static MemoryRegion Area(Cursor at, RegionKind kind)
    {
        at.SkipWs();
        int col = at.Pos + 1;
        if (at.Peek == '[')
        {
            at.Pos++;
            var (start, size) = at.InclusiveRange();
            at.SkipWs();
            int sizeAt = at.Pos;
            ulong written = at.Hex();
            if (written != size)
                throw at.ErrorAt(sizeAt, $"says 0x{written:x} bytes where [0x{start:x}-0x{start + size - 1:x}] spans 0x{size:x}");
            at.Word("bytes,");
            at.Word("Dumped:");
            ulong dumped = at.Hex();
            // The boot-memory copy's range is its destination; what it preserves starts at physical 0.
            ulong source = kind == RegionKind.Dump ? 0 : start;
            return new MemoryRegion(kind, start, size, source, col) { Line = at.Line, Dumped = dumped };
        }
        at.Word("Src:");
        ulong src = at.Hex();
        at.Word(",");
        at.Word("Dest:");
        ulong dest = at.Hex();
        at.Word(",");
        at.Word("Size:");
        ulong len = at.Hex();
        at.Word(",");
        at.Word("Dumped:");
        ulong done = at.Hex();
        at.Word("bytes");
        if (dest + len < dest) throw at.ErrorAt(col - 1, "has a destination and size that wrap around 2^64");
        return new MemoryRegion(kind, dest, len, src, col) { Line = at.Line, Dumped = done };
    }

    /// <summary>Where the next area label starts after an unknown region type's text, or the line's end.</summary>
    private static int NextAreaStart(string l, int from)
    {
        int best = l.Length;
        foreach (var label in new[] { "CPU :", "CPU:", "HPTE:", "DUMP:", UnknownType, MemoryAbove })
        {
            int i = l.IndexOf(label, from, StringComparison.Ordinal);
            if (i >= 0 && i < best) best = i;
        }
        return best;
    }

    /// <summary>A position in one line, with errors that name the line and column.</summary>
    private sealed class Cursor(string text, int line, int lineStart)
    {
        public int Pos;
        public int Line => line;
        public bool AtEnd => Pos >= text.Length;
        public char Peek => AtEnd ? '\0' : text[Pos];
        public ReadOnlySpan<char> Rest => text.AsSpan(Pos);

        public void SkipWs() { while (Pos < text.Length && char.IsWhiteSpace(text[Pos])) Pos++; }

        /// <summary>Whitespace, then exactly w.</summary>
        public void Word(string w)
        {
            SkipWs();
            if (!Rest.StartsWith(w, StringComparison.Ordinal)) throw Error($"has '{Snippet()}' where '{w}' was expected");
            Pos += w.Length;
        }

        /// <summary>`start-end]` (the '[' consumed) as start and length, end inclusive; end = start − 1 is length 0.</summary>
        public (ulong Start, ulong Size) InclusiveRange()
        {
            int startAt = Pos;
            ulong start = Hex();
            if (Peek != '-') throw Error($"has '{Snippet()}' where '-' was expected");
            Pos++;
            ulong end = Hex();
            if (Peek != ']') throw Error($"has '{Snippet()}' where ']' was expected");
            Pos++;
            // The kernel prints destination + length − 1: a zero length gives start − 1 (mod 2^64).
            if (end < start && end != start - 1) throw ErrorAt(startAt, $"has an end 0x{end:x} below its start 0x{start:x}");
            return (start, end - start + 1);
        }

        public ulong Hex()
        {
            SkipWs();
            int start = Pos;
            if (Pos + 1 < text.Length && text[Pos] == '0' && text[Pos + 1] is 'x' or 'X') Pos += 2;
            int digits = Pos;
            while (Pos < text.Length && char.IsAsciiHexDigit(text[Pos])) Pos++;
            if (Pos == digits) { Pos = start; throw Error($"has '{Snippet()}' where a hexadecimal number was expected"); }
            if (!ulong.TryParse(text.AsSpan(digits, Pos - digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
                throw ErrorAt(start, $"has '{text[start..Pos]}', which does not fit in 64 bits");
            return v;
        }

        public string Snippet() => AtEnd ? "end of line" : new string(text.AsSpan(Pos, Math.Min(12, text.Length - Pos)));

        public DumpFormatException Error(string problem) => ErrorAt(Pos, problem);

        /// <summary>Offset is the character index in the file; the message names line and 1-based column.</summary>
        public DumpFormatException ErrorAt(int pos, string problem) =>
            new(null, lineStart + pos, "region map", null, $"(line {line}, column {pos + 1}) {problem}");
    }
}
