using System.Runtime.InteropServices;
using HvDumpKit.Capture;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Writers;

namespace HvDumpKit.Cli.Verbs;

/// <summary>`hvdump save TARGET_DIR …`: the options become a SaveRequest; SaveSession does the save.</summary>
public static class SaveVerb
{
    public static int Run(SaveOptions o, TextWriter stdout, TextWriter stderr)
    {
        if (o.DumpLevel is < 0 or > 31) throw new UsageException($"--dump-level {o.DumpLevel}: expected 0–31");
        if (o.Checkpoint < 16) throw new UsageException("--checkpoint must be at least 16 pages");
        PageCompression comp;
        try { comp = PageCodecs.Parse(o.Compress); }
        catch (ArgumentException ex) { throw new UsageException("--compress: " + ex.Message); }
        if (!Directory.Exists(o.Target)) throw new UsageException($"{o.Target}: no such directory");
        // "flattened" is convert's spelling only: save has always taken these four.
        var format = o.Format is "kdump" or "flat" or "elf" or "raw" ? DumpWriters.Parse(o.Format)!.Value
            : throw new UsageException($"--format {o.Format}: expected kdump, flat, elf or raw");
        var request = new SaveRequest
        {
            Target = o.Target, Vmcore = o.Vmcore, VmcoreInfo = o.VmcoreInfo, RegionMap = o.RegionMap, ReleaseFile = o.ReleaseFile,
            Format = format, Compression = comp, DumpLevel = o.DumpLevel, NoRelease = o.NoRelease, DryRun = o.DryRun,
            CheckpointPages = o.Checkpoint, Resume = o.Resume, EncryptTo = AgeRecipients.From(o.EncryptTo, o.EncryptToFile, o.Format),
            InterruptWhileWriting = InterruptOnSignals,
        };
        var result = SaveSession.Run(request, stderr);
        if (o.Json) stdout.Write(File.ReadAllText(result.StatusPath));
        else if (!result.AlreadyComplete)
            stderr.WriteLine($"hvdump: saved {result.Output} ({result.Outcome}); " +
                $"released {result.BytesReleased / 1048576.0:F1} MiB in {result.RangesReleased} ranges");
        return result.Ok ? ExitCodes.Ok : ExitCodes.BadInput;
    }

    /// <summary>SIGTERM and SIGINT stop the write at the next page batch; the file keeps INCOMPLETE.</summary>
    private static IDisposable InterruptOnSignals(CancellationTokenSource cts) => new Signals(
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; cts.Cancel(); }),
        PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; cts.Cancel(); }));

    private sealed class Signals(params PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
