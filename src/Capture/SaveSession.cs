using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Release;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Capture;

/// <summary>
/// One save of a vmcore into a directory of its own: vmcore-dmesg.txt first (a failed dump still
/// leaves the log), the CPU and HPTE areas, then the dump written as vmcore-incomplete and renamed
/// when whole, releasing each region once the PFNs it holds are durable, with a journal and a
/// status JSON. What `hvdump save` runs; callable without the command line.
/// </summary>
public static class SaveSession
{
    /// <param name="messages">where the save's one-line notes and warnings go (hvdump: …)</param>
    /// <exception cref="DumpFormatException">the vmcore or region map is malformed</exception>
    /// <exception cref="NotSupportedException">a save that cannot be resumed (not kdump-compressed, split)</exception>
    public static SaveResult Run(SaveRequest request, TextWriter messages)
    {
        string format = DumpWriters.Name(request.Format);
        var comp = DumpWriters.Codec(request.Format, request.Compression);
        if (request.Resume && request.EncryptTo is not null)
            throw new NotSupportedException("--resume: an encrypted save cannot be resumed (its sealed chunks cannot be extended); " +
                "it released nothing, so run save again without --resume");
        string? mapPath = ReleaseTargets.RegionMapPath(request.RegionMap);
        var map = mapPath is null ? null : RegionMap.ParseFile(mapPath);
        string? releasePath = ReleaseTargets.ReleasePath(request.ReleaseFile, mapPath, map);

        using var opened = DumpProbe.Open(request.Vmcore, vmcoreInfo: VmcoreInfoFile.LoadOptional(request.VmcoreInfo));
        string dumpId = SaveDirectory.DumpId(opened);
        string? resumeDir = null;
        if (request.Resume)
        {
            var (newest, complete) = SaveDirectory.FindNewestOf(request.Target, dumpId);
            if (newest is not null && complete)
            {
                // A run killed after it finished: starting over would release every range a second time.
                messages.WriteLine($"hvdump: --resume: {newest} already holds this dump, complete; nothing to do");
                return new SaveResult(Ok: true, Path.Combine(newest, "status.json"), AlreadyComplete: true);
            }
            resumeDir = newest;
            if (resumeDir is null)
                messages.WriteLine($"hvdump: --resume: no unfinished save of this dump under {request.Target}; starting a new one");
        }
        string dir = resumeDir ?? SaveDirectory.NewPath(request.Target);
        Directory.CreateDirectory(dir);
        var encrypt = request.EncryptTo;
        string suffix = AgeOutput.Suffix(encrypt);
        string incomplete = Path.Combine(dir, "vmcore-incomplete" + suffix), final = Path.Combine(dir, "vmcore" + suffix);
        string statusPath = Path.Combine(dir, "status.json");
        using var journal = new ReleaseJournal(Path.Combine(dir, "release.journal"));

        // A resumed save goes on in place once anything was released: that memory may be in use
        // again, so what the file holds is not read from the vmcore twice, nor is the dump level
        // applied again (its struct pages may be gone); the file's own bitmaps decide.
        IDumpSource? earlier = null;
        KdumpResumePoint? point = null;
        string? existing = File.Exists(incomplete) ? incomplete : File.Exists(final) ? final : null;
        if (resumeDir is not null && existing is not null && journal.Intended.Count > 0)
        {
            if (DumpProbe.Identify(existing) != DumpFormat.Kdump)
                throw new
                    NotSupportedException($"{existing}: only a kdump-compressed save can be resumed once memory was released (an ELF " +
                    $"layout depends on pages that may be gone; a flattened stream cannot be appended to in place); the partial file is " +
                    $"kept");
            earlier = DumpProbe.Open(existing);
            point = KdumpResumePoint.Find(earlier);
            comp = point.Compression;
            format = "kdump"; // the file decides, whatever --format says now
            messages.WriteLine($"hvdump: resuming {existing}: {point.PagesDone} pages saved, going on from PFN " +
                $"0x{(point.ResumePfn == ulong.MaxValue ? earlier.MaxPfn : point.ResumePfn):x}");
        }
        else if (existing is not null) File.Delete(existing); // nothing was released: start the file over
        using var earlierDispose = earlier;
        int dumpLevel = point is not null ? point.DumpLevel & 31 : request.DumpLevel;
        if (point is not null) incomplete = existing!;

        var status = new SaveStatus
        {
            Vmcore = request.Vmcore, RegionMap = mapPath, ReleaseFile = request.NoRelease ? null : releasePath, Directory = dir,
            Output = incomplete, DumpLevel = dumpLevel, Compression = PageCodecs.Name(comp), DryRun = request.DryRun, Format = format,
            Resumes = resumeDir is null ? 0 : SaveStatus.ReadResumes(statusPath) + 1, DumpId = dumpId,
        };
        status.Write(statusPath);

        // 1. The kernel log, before anything can fail (a resumed save keeps the one it has).
        string dmesgPath = Path.Combine(dir, "vmcore-dmesg.txt" + suffix);
        if (File.Exists(dmesgPath)) status.Dmesg = Path.GetFileName(dmesgPath);
        else if (point is null)
        {
            var log = KernelLog.Read(opened);
            if (log.Records.Count > 0)
            {
                // Created 0600 and synced, like every output: the log may hold secrets too, and is encrypted with the dump.
                using var output = OutputFile.Create(dmesgPath, force: false, []);
                AgeOutput.WriteAll(encrypt, output.Stream, Encoding.UTF8.GetBytes(log.Text(caller: false)));
                output.Commit(sync: true);
                status.Dmesg = Path.GetFileName(dmesgPath);
            }
        }

        // 2. The CPU state and HPTE areas, each to a file of its own; they may be released once synced.
        CaptureAreas.Save(opened, map, dir, status);
        // A vmcore without PRSTATUS notes gets them from the firmware's register save area.
        IDumpSource basis = point is null ? CaptureAreas.WithRegisterNotes(opened, dir, status, messages) : opened;

        // 3. What to release, and how.
        IReleaseSink sink = ReleaseTargets.Create(releasePath, map, request.NoRelease || request.DryRun);
        var units = map is null ? [] : ReleasePlan.Build(map, opened.Header.PageSize);
        var coordinator = new ReleaseCoordinator(units, sink, journal) { AreasSaved = true };
        foreach (var w in map?.Warnings ?? []) messages.WriteLine($"hvdump: region map: {w}");

        // 4. The dump, releasing as it becomes durable.
        using var cts = new CancellationTokenSource();
        using var interrupt = request.InterruptWhileWriting?.Invoke(cts);
        var filtered = point is null ? FilteredDumpSource.ForLevel(basis, dumpLevel) : null;
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
            CheckpointPages = request.CheckpointPages,
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
        // Encrypted, chunks still pending are not durable: every release waits for the whole file (AgeReleaseGate).
        if (encrypt is not null) options = AgeReleaseGate.Defer(options);
        bool ok = true;
        try
        {
            using (var fs = new FileStream(incomplete, new FileStreamOptions
            {
                Mode = point is null ? FileMode.CreateNew : FileMode.Open, Access = FileAccess.ReadWrite, Share = FileShare.Read,
                BufferSize = 0,
                UnixCreateMode = point is null ? UnixFileMode.UserRead | UnixFileMode.UserWrite : null,
            }))
            // A raw image says which pages it holds in its sidecar: one is synced at every checkpoint.
            using (var dump = DumpWriters.Create(DumpWriters.Parse(format)!.Value, OutputTarget.ToFile(fs).EncryptedTo(encrypt),
                rawCheckpointSidecar: format == "raw" ? HvDumpKit.Reader.Raw.RawSidecar.PathFor(incomplete) : null))
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
                var summary = dump.Write(source, options);
                status.PagesWritten = summary.PagesWritten + (point?.PagesDone ?? 0);
                status.BytesOut = summary.BytesOut;
            }
            if (incomplete != final)
            {
                // The sidecar first: a reader of either name always finds the image's own.
                if (format == "raw") File.Move(HvDumpKit.Reader.Raw.RawSidecar.PathFor(incomplete),
                    HvDumpKit.Reader.Raw.RawSidecar.PathFor(final));
                File.Move(incomplete, final);
            }
            // The status names the file that exists before the last releases go out.
            status.Output = final;
            status.Write(statusPath);
            status.Outcome = "complete";
            coordinator.Finish();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or DumpFormatException)
        {
            // The file keeps INCOMPLETE; releases stopped at the last durable watermark.
            status.Outcome = "incomplete";
            status.Error = ex is OperationCanceledException ? "interrupted" : ex.Message;
            messages.WriteLine($"hvdump: save incomplete: {status.Error}; {incomplete} is an incomplete dump");
            ok = false;
        }
        finally
        {
            sink.Dispose();
            status.Update(coordinator);
            status.Write(statusPath);
        }
        if (coordinator.ReleaseError is { } re)
        {
            messages.WriteLine($"hvdump: {re}; later ranges were not released");
            ok = false;
        }
        return new SaveResult(ok, statusPath, AlreadyComplete: false, status.Output, status.Outcome, coordinator.BytesReleased,
            coordinator.Released.Count);
    }
}
