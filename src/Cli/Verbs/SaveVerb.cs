using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Release;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Cli.Verbs;

/// <summary>
/// `hvdump save`: vmcore-dmesg.txt first (a failed dump still leaves the log), then a
/// kdump-compressed vmcore written as vmcore-incomplete and renamed when whole, releasing each
/// region once the PFNs it holds are durable, with a journal and a status JSON.
/// </summary>
public static class SaveVerb
{
    private const string ReleaseRegion = "/sys/kernel/release_region";
    private const string FadumpRegion = "/sys/kernel/debug/powerpc/fadump_region";
    private const string FadumpReleaseMem = "/sys/kernel/fadump/release_mem";

    public static int Run(SaveOptions o, TextWriter stdout, TextWriter stderr)
    {
        if (o.DumpLevel is < 0 or > 31) throw new UsageException($"--dump-level {o.DumpLevel}: expected 0–31");
        if (o.Checkpoint < 16) throw new UsageException("--checkpoint must be at least 16 pages");
        PageCompression comp;
        try { comp = PageCodecs.Parse(o.Compress); }
        catch (ArgumentException ex) { throw new UsageException("--compress: " + ex.Message); }
        if (!Directory.Exists(o.Target)) throw new UsageException($"{o.Target}: no such directory");
        string format = o.Format;
        if (format is not ("kdump" or "flat" or "elf" or "raw")) throw new UsageException($"--format {o.Format}: expected kdump, flat, elf or raw");
        if (format is "elf" or "raw") comp = PageCompression.None; // they hold pages as they are
        var encrypt = AgeRecipients.From(o.EncryptTo, o.EncryptToFile, format);
        if (o.Resume && encrypt is not null)
            throw new NotSupportedException("--resume: an encrypted save cannot be resumed (its sealed chunks cannot be extended); it released nothing, so run save again without --resume");

        string? mapPath = o.RegionMap ?? (File.Exists(ReleaseRegion) ? ReleaseRegion : File.Exists(FadumpRegion) ? FadumpRegion : null);
        var map = mapPath is null ? null : RegionMap.ParseFile(mapPath);
        string? releasePath = o.ReleaseFile ?? (map?.Format == "fadump_region" ? FadumpReleaseMem : mapPath == ReleaseRegion ? ReleaseRegion : null);

        using var opened = DumpProbe.Open(o.Vmcore, vmcoreInfo: VmcoreInfoFile.LoadOptional(o.VmcoreInfo));
        string host = Environment.MachineName;
        string dumpId = DumpId(opened);
        string? resumeDir = null;
        if (o.Resume)
        {
            var (newest, complete) = FindNewestOf(o.Target, dumpId);
            if (newest is not null && complete)
            {
                // A run killed after it finished: starting over would release every range a second time.
                stderr.WriteLine($"hvdump: --resume: {newest} already holds this dump, complete; nothing to do");
                if (o.Json) stdout.Write(File.ReadAllText(Path.Combine(newest, "status.json")));
                return ExitCodes.Ok;
            }
            resumeDir = newest;
            if (resumeDir is null) stderr.WriteLine($"hvdump: --resume: no unfinished save of this dump under {o.Target}; starting a new one");
        }
        string dir = resumeDir ?? Path.Combine(o.Target, $"{host}-{DateTime.Now.ToString("yyyy-MM-dd-HH:mm:ss", CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(dir);
        string incomplete = Path.Combine(dir, "vmcore-incomplete" + AgeOutput.Suffix(encrypt)), final = Path.Combine(dir, "vmcore" + AgeOutput.Suffix(encrypt));
        string statusPath = Path.Combine(dir, "status.json");
        using var journal = new ReleaseJournal(Path.Combine(dir, "release.journal"));

        // A resumed save goes on in place once anything was released: that memory may be in use
        // again, so what the file holds is not read from the vmcore twice, nor is the dump level
        // applied again (its struct pages may be gone); the file's own bitmaps decide.
        KdumpDumpSource? earlier = null;
        KdumpResumePoint? point = null;
        string? existing = File.Exists(incomplete) ? incomplete : File.Exists(final) ? final : null;
        if (resumeDir is not null && existing is not null && journal.Intended.Count > 0)
        {
            if (DumpProbe.Identify(existing) != DumpFormat.Kdump)
                throw new NotSupportedException($"{existing}: only a kdump-compressed save can be resumed once memory was released (an ELF layout depends on pages that may be gone; a flattened stream cannot be appended to in place); the partial file is kept");
            earlier = (KdumpDumpSource)DumpProbe.Open(existing);
            point = KdumpResumePoint.Find(earlier);
            comp = point.Compression;
            format = "kdump"; // the file decides, whatever --format says now
            stderr.WriteLine($"hvdump: resuming {existing}: {point.PagesDone} pages saved, going on from PFN 0x{(point.ResumePfn == ulong.MaxValue ? earlier.MaxPfn : point.ResumePfn):x}");
        }
        else if (existing is not null) File.Delete(existing); // nothing was released: start the file over
        using var earlierDispose = earlier;
        int dumpLevel = point is not null ? point.DumpLevel & 31 : o.DumpLevel;
        if (point is not null) incomplete = existing!;

        var status = new Status
        {
            Vmcore = o.Vmcore, RegionMap = mapPath, ReleaseFile = o.NoRelease ? null : releasePath, Directory = dir,
            Output = incomplete, DumpLevel = dumpLevel, Compression = PageCodecs.Name(comp), DryRun = o.DryRun, Format = format,
            Resumes = resumeDir is null ? 0 : Status.ReadResumes(statusPath) + 1, DumpId = dumpId,
        };
        status.Write(statusPath);

        // 1. The kernel log, before anything can fail (a resumed save keeps the one it has).
        string dmesgPath = Path.Combine(dir, "vmcore-dmesg.txt" + AgeOutput.Suffix(encrypt));
        if (File.Exists(dmesgPath)) status.Dmesg = Path.GetFileName(dmesgPath);
        else if (point is null)
        {
            var log = KernelLog.Read(opened);
            if (log.Records.Count > 0)
            {
                // Created 0600 and synced, like every output: the log may hold secrets too.
                using var output = OutputFile.Create(dmesgPath, force: false, []);
                AgeOutput.WriteAll(encrypt, output.Stream, Encoding.UTF8.GetBytes(DmesgVerb.Text(log, false)));
                output.Commit(sync: true);
                status.Dmesg = Path.GetFileName(dmesgPath);
            }
        }

        // 2. The CPU state and HPTE areas, each to a file of its own; they may be released once synced.
        foreach (var region in (map?.Regions ?? []).Where(r => r.Kind is RegionKind.Cpu or RegionKind.Hpte))
        {
            int before = status.Areas.Count(a => a.Kind == region.Kind);
            string file = Path.Combine(dir, (region.Kind == RegionKind.Cpu ? "cpu-state" : "hpte") + (before > 0 ? $"-{before}" : "") + ".bin");
            status.Areas.Add(File.Exists(file) // a resumed save's copy, whole (renamed only once synced)
                ? new SavedArea(region.Kind, region.Address, region.Size, Path.GetFileName(file), (ulong)new FileInfo(file).Length, 0)
                : AreaSaver.Save(opened, region, file));
        }
        // A vmcore without PRSTATUS notes gets them from the firmware's register save area.
        IDumpSource basis = opened;
        var cpuFile = status.Areas.FirstOrDefault(a => a.Kind == RegionKind.Cpu);
        if (point is null && cpuFile is not null && !opened.Notes.PrStatus.Any())
        {
            var bytes = ReadHead(Path.Combine(dir, cpuFile.File), 16 << 20);
            if (RegisterSaveArea.HasMagic(bytes))
            {
                try
                {
                    var cpus = RegisterSaveArea.Parse(bytes, 0);
                    basis = new NotesOverride(opened, [.. cpus.SelectMany(c => NoteBuilder.Ppc64PrStatus(c, opened.Header.ByteOrder))]);
                    status.CpuNotes = cpus.Count;
                }
                catch (DumpFormatException ex)
                {
                    stderr.WriteLine($"hvdump: {cpuFile.File}: {ex.Message}; the dump has no CPU registers");
                }
            }
        }

        // 3. What to release, and how.
        IReleaseSink sink = o.NoRelease || o.DryRun || releasePath is null
            ? new NoRelease(perRange: map?.Format != "fadump_region")
            : map?.Format == "fadump_region" ? new FadumpReleaseMem(releasePath) : new ReleaseRegionFile(releasePath);
        var units = map is null ? [] : ReleasePlan.Build(map, opened.Header.PageSize);
        var coordinator = new ReleaseCoordinator(units, sink, journal) { AreasSaved = true };
        foreach (var w in map?.Warnings ?? []) stderr.WriteLine($"hvdump: region map: {w}");

        // 4. The dump, releasing as it becomes durable.
        using var cts = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cts.Cancel(); });
        var filtered = point is null && (dumpLevel & ~DumpLevel.Zero) != 0 ? new FilteredDumpSource(basis, dumpLevel) : null;
        IDumpSource source = point is not null ? new PresetSelection(opened, earlier!) : filtered ?? basis;
        var options = new WriterOptions
        {
            Compression = comp,
            CompressionLevel = PageCodecs.DefaultLevel(comp),
            DumpLevel = dumpLevel,
            Durable = true,
            // The capture kernel is small: threads and buffers follow what it has left.
            Threads = MemoryPlan.Threads(),
            MemoryBudget = MemoryPlan.Budget(),
            Resume = point,
            CheckpointPages = o.Checkpoint,
            Cancellation = cts.Token,
            OnExcludedFinal = excluded =>
            {
                coordinator.ExcludedFinal(excluded, opened.Header.PageSize);
                status.Update(coordinator);
                status.Write(statusPath);
            },
            OnDurable = wm =>
            {
                coordinator.Durable(wm, complete: false);
                status.Update(coordinator);
                status.Write(statusPath);
            },
        };
        if (encrypt is not null) options = AgeReleaseGate.Defer(options); // chunks still pending are not durable
        int code = ExitCodes.Ok;
        try
        {
            using (var fs = new FileStream(incomplete, new FileStreamOptions
            {
                Mode = point is null ? FileMode.CreateNew : FileMode.Open, Access = FileAccess.ReadWrite, Share = FileShare.Read, BufferSize = 0,
                UnixCreateMode = point is null ? UnixFileMode.UserRead | UnixFileMode.UserWrite : null,
            }))
            // A flattened stream goes through its own sink; durability is the same fsync of the file.
            using (IOutputSink fileSink = encrypt is not null ? (format == "flat" ? AgeOutput.Flattened(encrypt, fs, false, syncOnComplete: true)
                : AgeOutput.File(encrypt, fs.SafeFileHandle, syncOnComplete: true)) : format == "flat" ? new HvDumpKit.Writers.Flattened.FlattenedSink(fs, ownsStream: false) : new FileSink(fs.SafeFileHandle, ownsHandle: false))
            {
                if (point is not null)
                {
                    // What the killed run wrote is made durable before anything it holds is released;
                    // the exclusions come first, so a unit's early-released parts are not given back again.
                    fs.Flush(flushToDisk: true);
                    coordinator.ExcludedFinal(PfnRanges.Except(earlier!.RamRanges(), earlier.PresentRanges()), opened.Header.PageSize);
                    coordinator.Durable(point.ResumePfn, complete: false);
                    status.Update(coordinator);
                    status.Write(statusPath);
                }
                // A raw image says which pages it holds in its sidecar: one is synced at every checkpoint.
                IDumpWriter writer = format switch
                {
                    "raw" => new HvDumpKit.Writers.Raw.RawWriter { CheckpointSidecarPath = HvDumpKit.Reader.Raw.RawSidecar.PathFor(incomplete) },
                    "elf" => new HvDumpKit.Writers.Elf.ElfWriter(),
                    _ => new KdumpWriter(),
                };
                var summary = writer.Write(source, fileSink, options);
                status.PagesWritten = summary.PagesWritten + (point?.PagesDone ?? 0);
                status.BytesOut = summary.BytesOut;
            }
            if (incomplete != final)
            {
                // The sidecar first: a reader of either name always finds the image's own.
                if (format == "raw") File.Move(HvDumpKit.Reader.Raw.RawSidecar.PathFor(incomplete), HvDumpKit.Reader.Raw.RawSidecar.PathFor(final));
                File.Move(incomplete, final);
            }
            status.Output = final;
            status.Outcome = "complete";
            coordinator.Finish();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or DumpFormatException)
        {
            // The file keeps INCOMPLETE; releases stopped at the last durable watermark.
            status.Outcome = "incomplete";
            status.Error = ex is OperationCanceledException ? "interrupted" : ex.Message;
            stderr.WriteLine($"hvdump: save incomplete: {status.Error}; {incomplete} is an incomplete dump");
            code = ExitCodes.BadInput;
        }
        finally
        {
            sink.Dispose();
            status.Update(coordinator);
            status.Write(statusPath);
        }
        if (coordinator.ReleaseError is { } re)
        {
            stderr.WriteLine($"hvdump: {re}; later ranges were not released");
            code = ExitCodes.BadInput;
        }
        if (o.Json) stdout.Write(File.ReadAllText(statusPath));
        else stderr.WriteLine($"hvdump: saved {status.Output} ({status.Outcome}); released {coordinator.BytesReleased / 1048576.0:F1} MiB in {coordinator.Released.Count} ranges");
        return code;
    }

    private static byte[] ReadHead(string path, int max)
    {
        using var fs = File.OpenRead(path);
        var buf = new byte[(int)Math.Min(max, fs.Length)];
        fs.ReadExactly(buf);
        return buf;
    }

    /// <summary>
    /// Which crash a vmcore holds: a digest of its notes (VMCOREINFO with the crash time, and every
    /// CPU's registers at the crash) and its size in PFNs, so a resume never continues another dump's file.
    /// </summary>
    private static string DumpId(IDumpSource dump) =>
        $"{System.IO.Hashing.XxHash3.HashToUInt64(dump.Notes.Blob):x16}-{dump.MaxPfn:x}";

    /// <summary>
    /// The newest save directory (&lt;host&gt;-&lt;date&gt;) under target of this dump, and whether its
    /// status.json says complete. A directory without a readable status (a run killed right after
    /// creating it, or mid-write) is this dump's and unfinished; one naming another dump is skipped.
    /// </summary>
    private static (string? Dir, bool Complete) FindNewestOf(string target, string dumpId)
    {
        string prefix = Environment.MachineName + "-";
        foreach (var d in Directory.GetDirectories(target).Where(d => Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal))
                     .OrderByDescending(Directory.GetCreationTimeUtc))
        {
            var statusPath = Path.Combine(d, "status.json");
            if (!File.Exists(statusPath)) return (d, false);
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(statusPath));
                var root = doc.RootElement;
                if (root.TryGetProperty("dump_id", out var id) && id.GetString() != dumpId) continue;
                return (d, root.GetProperty("outcome").GetString() == "complete");
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return (d, false); // cut off mid-write: unfinished by definition
            }
        }
        return (null, false);
    }

    /// <summary>status.json: what was written and released, when, and the outcome.</summary>
    private sealed class Status
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
                foreach (var u in _uncertain) { w.WriteStartObject(); w.WriteString("address", $"0x{u.Address:x}"); w.WriteString("size", $"0x{u.Size:x}"); w.WriteEndObject(); }
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
}
