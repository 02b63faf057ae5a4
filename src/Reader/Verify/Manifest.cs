using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;

namespace HvDumpKit.Reader.Verify;

/// <summary>
/// A format-independent golden file: the JSON (page size, PFN ranges, dump level, digests of the
/// notes and VMCOREINFO) plus a binary digest file beside it holding one 64-bit XxHash3 per present
/// page in PFN order — 8 bytes per 4 KiB page, 0.2% of the memory — so any page can be checked
/// alone and a mismatch names its PFN even when its neighbours were filtered out.
/// </summary>
public sealed record Manifest(
    string Arch, int PageSize, ulong MaxPfn, int DumpLevel, IReadOnlyList<PfnRange> Present,
    string NotesDigest, string VmcoreInfoDigest, string DigestFile, ulong ZeroPageDigest)
{
    public const string FormatName = "hvdump-manifest";
    public const string DigestMagic = "HVDMDIG1";

    public static string Hex(ReadOnlySpan<byte> data) => XxHash3.HashToUInt64(data).ToString("x16");

    /// <summary>Scans a dump and writes NAME.json and NAME.digests (or the paths given).</summary>
    public static Manifest Create(IDumpSource source, string jsonPath, int threads, Stream digests, string digestFileName)
    {
        var present = source.PresentRanges().ToList();
        var head = new byte[16];
        System.Text.Encoding.ASCII.GetBytes(DigestMagic).CopyTo(head, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(head.AsSpan(8), (ulong)present.Aggregate(0UL, (a, r) => a + r.Count));
        digests.Write(head);
        var buf = new byte[8];
        var failures = new List<string>();
        PageScan.Run(source, present, threads, p =>
        {
            if (p.Status != ScanStatus.Present) failures.Add($"pfn 0x{p.Pfn:x}: {p.Status} {p.Error}");
            BinaryPrimitives.WriteUInt64LittleEndian(buf, p.Digest);
            digests.Write(buf);
        });
        if (failures.Count > 0)
            throw new DumpFormatException(source.Path, 0, "page data", null,
                $"cannot be made a golden file: {failures.Count} pages unreadable ({failures[0]})");
        var vmci = source.Notes.VmcoreInfoNote is { } n ? Hex(source.Notes.Desc(n)) : "";
        return new Manifest(MachineNames.UtsMachine(source.Header.Machine, source.Header.ByteOrder), source.Header.PageSize, source.MaxPfn,
            source.DumpLevel, present, Hex(source.Notes.Blob), vmci, digestFileName, PageScan.Digest(new byte[source.Header.PageSize]));
    }

    public void WriteJson(Stream s)
    {
        using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", FormatName);
        w.WriteNumber("version", 1);
        w.WriteString("arch", Arch);
        w.WriteNumber("page_size", PageSize);
        w.WriteNumber("max_pfn", MaxPfn);
        w.WriteNumber("dump_level", DumpLevel);
        w.WriteString("hash", "xxh3-64");
        w.WriteString("notes_digest", NotesDigest);
        w.WriteString("vmcoreinfo_digest", VmcoreInfoDigest);
        w.WriteString("zero_page_digest", ZeroPageDigest.ToString("x16"));
        w.WriteString("digests", DigestFile);
        w.WriteNumber("pages", Present.Aggregate(0UL, (a, r) => a + r.Count));
        w.WriteStartArray("present");
        foreach (var r in Present) { w.WriteStartArray(); w.WriteNumberValue(r.Start); w.WriteNumberValue(r.End); w.WriteEndArray(); }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static Manifest Read(string jsonPath)
    {
        try
        {
            using var fs = File.OpenRead(jsonPath);
            using var doc = JsonDocument.Parse(fs);
            var r = doc.RootElement;
            if (r.GetProperty("format").GetString() != FormatName)
                throw new DumpFormatException(jsonPath, 0, "format", r.GetProperty("format").GetString(), $"is not {FormatName}");
            var present = new List<PfnRange>();
            foreach (var e in r.GetProperty("present").EnumerateArray())
            {
                var pr = new PfnRange(e[0].GetUInt64(), e[1].GetUInt64());
                if (pr.End < pr.Start || (present.Count > 0 && pr.Start < present[^1].End))
                    throw new DumpFormatException(jsonPath, 0, "present", $"[{pr.Start}, {pr.End})", "is not an ascending list of ranges");
                present.Add(pr);
            }
            return new Manifest(r.GetProperty("arch").GetString() ?? "", r.GetProperty("page_size").GetInt32(),
                r.GetProperty("max_pfn").GetUInt64(),
                r.GetProperty("dump_level").GetInt32(), present, r.GetProperty("notes_digest").GetString() ?? "",
                r.GetProperty("vmcoreinfo_digest").GetString() ?? "", r.GetProperty("digests").GetString() ?? "",
                Convert.ToUInt64(r.GetProperty("zero_page_digest").GetString(), 16));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DumpFormatException(jsonPath, 0, "manifest", null, $"is malformed: {ex.Message}");
        }
    }

    /// <summary>The digest file's magic and count, before the digests.</summary>
    public const int DigestHeaderSize = 16;

    /// <summary>Where the digest file of the manifest at jsonPath lives (next to it).</summary>
    public string DigestPath(string jsonPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jsonPath)) ?? ".", DigestFile);

    /// <summary>Streams the digest file in PFN order of Present.</summary>
    public IEnumerable<(ulong Pfn, ulong Digest)> Digests(string jsonPath)
    {
        string path = DigestPath(jsonPath);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var head = new byte[16];
        if (fs.Read(head) != 16 || System.Text.Encoding.ASCII.GetString(head, 0, 8) != DigestMagic)
            throw new DumpFormatException(path, 0, "digest file magic", null, $"is not {DigestMagic}");
        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(8));
        ulong expected = Present.Aggregate(0UL, (a, r) => a + r.Count);
        if (count != expected || fs.Length != 16 + (long)count * 8)
            throw new DumpFormatException(path, 8, "digest count", count.ToString(), $"does not match the manifest's {expected} pages");
        var buf = new byte[8];
        foreach (var r in Present)
            for (ulong p = r.Start; p < r.End; p++)
            {
                fs.ReadExactly(buf);
                yield return (p, BinaryPrimitives.ReadUInt64LittleEndian(buf));
            }
    }
}
