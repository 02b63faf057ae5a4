using System.Globalization;
using System.Text.Json;
using HvDumpKit.Writers.Release;

namespace HvDumpKit.Capture;

/// <summary>status.json: what was written and released, when, and the outcome.</summary>
public sealed class SaveStatus
{
    private readonly DateTime _started = DateTime.UtcNow;
    public string Vmcore = "", Directory = "", Output = "", Compression = "", Format = "kdump", DumpId = "";
    public string? RegionMap, ReleaseFile, Dmesg, Error;
    public string Outcome = "running";
    public int DumpLevel;
    public int Resumes;
    public int? CpuNotes;
    public List<SavedArea> Areas = new();
    public bool DryRun;

    /// <summary>How often the save in this directory was resumed so far (0 when unreadable).</summary>
    public static int ReadResumes(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("resumes", out var r) ? r.GetInt32() : 0;
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidOperationException) { return 0; }
    }
    public ulong PagesWritten;
    public long BytesOut;
    private List<ReleaseUnit> _released = new();
    private List<ReleaseUnit> _uncertain = new();
    private List<(double, ulong)> _curve = new();
    private ulong _bytesReleased;

    public void Update(ReleaseCoordinator c)
    {
        _released = [.. c.Released];
        _uncertain = [.. c.SkippedUncertain];
        _curve = [.. c.Curve];
        _bytesReleased = c.BytesReleased;
        ReleaseError = c.ReleaseError;
    }

    public string? ReleaseError;

    public void Write(string path)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("outcome", Outcome);
            w.WriteString("started", _started.ToString("o", CultureInfo.InvariantCulture));
            w.WriteString("updated", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture));
            w.WriteString("vmcore", Vmcore);
            w.WriteString("dump_id", DumpId);
            w.WriteString("output", Output);
            w.WriteString("format", Format);
            w.WriteString("compression", Compression);
            w.WriteNumber("dump_level", DumpLevel);
            w.WriteNumber("resumes", Resumes);
            if (Dmesg is null) w.WriteNull("dmesg"); else w.WriteString("dmesg", Dmesg);
            if (RegionMap is null) w.WriteNull("region_map"); else w.WriteString("region_map", RegionMap);
            if (ReleaseFile is null) w.WriteNull("release_file"); else w.WriteString("release_file", ReleaseFile);
            w.WriteBoolean("dry_run", DryRun);
            w.WriteNumber("pages_written", PagesWritten);
            w.WriteNumber("bytes_out", BytesOut);
            w.WriteNumber("bytes_released", _bytesReleased);
            w.WriteStartArray("releases");
            foreach (var u in _released)
            {
                w.WriteStartObject();
                w.WriteString("kind", u.Kind.ToString().ToUpperInvariant());
                w.WriteString("address", $"0x{u.Address:x}");
                w.WriteString("size", $"0x{u.Size:x}");
                w.WriteNumber("first_pfn", u.FirstPfn);
                w.WriteNumber("end_pfn", u.EndPfn);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("areas");
            foreach (var a in Areas)
            {
                w.WriteStartObject();
                w.WriteString("kind", a.Kind.ToString().ToUpperInvariant());
                w.WriteString("address", $"0x{a.Address:x}");
                w.WriteString("size", $"0x{a.Size:x}");
                w.WriteString("file", a.File);
                w.WriteNumber("bytes_saved", a.BytesSaved);
                w.WriteNumber("bytes_missing", a.BytesMissing);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (CpuNotes is int n) w.WriteNumber("prstatus_from_cpu_area", n);
            w.WriteStartArray("possibly_unreleased");
            foreach (var u in _uncertain)
            {
                w.WriteStartObject(); w.WriteString("address", $"0x{u.Address:x}");
                w.WriteString("size", $"0x{u.Size:x}"); w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("time_to_release");
            foreach (var (t, b) in _curve) { w.WriteStartArray(); w.WriteNumberValue(t); w.WriteNumberValue(b); w.WriteEndArray(); }
            w.WriteEndArray();
            if (Error is null) w.WriteNull("error"); else w.WriteString("error", Error);
            if (ReleaseError is null) w.WriteNull("release_error"); else w.WriteString("release_error", ReleaseError);
            w.WriteEndObject();
        }
        // Overwritten in place inside space reserved up front (64 KiB at a time, padded with
        // blanks, which JSON allows): the final status must still land when the disk is full.
        var bytes = ms.ToArray();
        using var fs = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, Share = FileShare.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        });
        long reserved = Math.Max(fs.Length, (bytes.Length / 65536 + 1) * 65536L);
        var padded = new byte[reserved];
        padded.AsSpan().Fill((byte)' ');
        bytes.CopyTo(padded, 0);
        padded[^1] = (byte)'\n';
        fs.Write(padded);
        fs.Flush(flushToDisk: true);
    }
}
