using System.Text;
using System.Text.Json;

namespace HvDumpKit.Reader.Raw;

/// <summary>
/// OUT.json beside a raw physical-memory image: what the flat image cannot say itself —
/// arch, byte order, page size, which PFN ranges are RAM and which hold saved bytes, and the
/// ELF notes (base64). Written and read with Utf8JsonWriter/JsonDocument (no reflection: AOT).
/// </summary>
public sealed record RawSidecar(
    Machine Machine, ByteOrder ByteOrder, int PageSize, bool Is64Bit, uint ElfFlags, int DumpLevel,
    IReadOnlyList<PfnRange> Ram, IReadOnlyList<PfnRange> Present, byte[] NoteBlob)
{
    public const string FormatName = "hvdump-raw-sidecar";
    public const int FormatVersion = 1;

    public static string PathFor(string imagePath) => imagePath + ".json";

    public void Write(Stream s)
    {
        using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", FormatName);
        w.WriteNumber("version", FormatVersion);
        w.WriteString("arch", MachineNames.UtsMachine(Machine, ByteOrder));
        w.WriteNumber("e_machine", (ushort)Machine);
        w.WriteString("byte_order", ByteOrder == ByteOrder.Big ? "big" : "little");
        w.WriteNumber("page_size", PageSize);
        w.WriteBoolean("is_64bit", Is64Bit);
        w.WriteNumber("e_flags", ElfFlags);
        w.WriteNumber("dump_level", DumpLevel);
        WriteRanges(w, "ram", Ram);
        WriteRanges(w, "present", Present);
        w.WriteString("notes", Convert.ToBase64String(NoteBlob));
        w.WriteEndObject();
    }

    private static void WriteRanges(Utf8JsonWriter w, string name, IReadOnlyList<PfnRange> ranges)
    {
        w.WriteStartArray(name);
        foreach (var r in ranges)
        {
            w.WriteStartArray();
            w.WriteNumberValue(r.Start);
            w.WriteNumberValue(r.End);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    public static RawSidecar Read(string path, DumpLimits limits)
    {
        var info = new FileInfo(path);
        if ((ulong)info.Length > limits.MaxNoteBytes * 2 + (64UL << 20))
            throw new DumpFormatException(path, 0, "raw sidecar", info.Length.ToString(), "is too large");
        using var fs = File.OpenRead(path);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(fs); }
        catch (JsonException ex)
        {
            throw new
            DumpFormatException(path, ex.BytePositionInLine ?? 0, "raw sidecar", null, $"is not valid JSON: {ex.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            try
            {
                if (root.GetProperty("format").GetString() != FormatName)
                    throw new DumpFormatException(path, 0, "raw sidecar format", root.GetProperty("format").GetString(),
                        $"is not {FormatName}");
                var machine = (Machine)root.GetProperty("e_machine").GetUInt16();
                var order = root.GetProperty("byte_order").GetString() == "big" ? ByteOrder.Big : ByteOrder.Little;
                int pageSize = root.GetProperty("page_size").GetInt32();
                if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
                    throw new DumpFormatException(path, 0, "raw sidecar page_size", pageSize.ToString(), "is not a power of two ≥ 512");
                return new RawSidecar(machine, order, pageSize,
                    root.GetProperty("is_64bit").GetBoolean(), root.GetProperty("e_flags").GetUInt32(),
                    root.GetProperty("dump_level").GetInt32(),
                    ReadRanges(root.GetProperty("ram")), ReadRanges(root.GetProperty("present")),
                    Convert.FromBase64String(root.GetProperty("notes").GetString() ?? ""));
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new DumpFormatException(path, 0, "raw sidecar", null, $"is malformed: {ex.Message}");
            }
        }
    }

    private static List<PfnRange> ReadRanges(JsonElement a)
    {
        var list = new List<PfnRange>();
        foreach (var e in a.EnumerateArray())
        {
            // Checked first: indexing past a JSON array's end throws IndexOutOfRangeException, which
            // would escape Read as a crash instead of a malformed sidecar.
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2)
                throw new FormatException($"range {e.GetRawText()} is not [start, end]");
            ulong s = e[0].GetUInt64(), t = e[1].GetUInt64();
            if (t < s) throw new FormatException($"range [{s}, {t}) ends before it starts");
            if (list.Count > 0 && s < list[^1].End) throw new FormatException("ranges are not ascending");
            list.Add(new PfnRange(s, t));
        }
        return list;
    }
}
