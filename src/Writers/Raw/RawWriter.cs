using HvDumpKit.Reader;
using HvDumpKit.Reader.Raw;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Pipeline;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Writers.Raw;

/// <summary>
/// A flat physical-memory image: byte at file offset N is physical address N. Absent pages and,
/// at dump level 1, zero pages are holes (a hole reads as zero, so a zero page loses nothing);
/// the sidecar records which PFNs hold saved bytes so absent never reads as zero on the way back.
/// </summary>
public sealed class RawWriter : IDumpWriter
{
    public RawSidecar? Sidecar { get; private set; }

    /// <summary>
    /// With OnDurable: at each checkpoint a sidecar naming the pages written so far is synced
    /// here (temporary name, then renamed), so the image can be read — and its memory released —
    /// while it is still being written. The final sidecar is the caller's to write.
    /// </summary>
    public string? CheckpointSidecarPath { get; init; }

    public WriteSummary Write(IDumpSource source, IOutputSink sink, WriterOptions options)
    {
        DumpLevel.Validate(options.DumpLevel);
        if (!sink.CanRewrite) throw new NotSupportedException("a raw image needs a seekable output");
        var checkpoint = new Checkpointer(sink, options);
        int ps = source.Header.PageSize;
        bool skipZero = DumpLevel.ExcludesZero(options.DumpLevel);
        var present = source.PresentRanges().ToList();
        ulong total = DumpLevel.Count(present), written = 0, zero = 0, lost = 0, done = 0;
        var lostRuns = new List<PfnRange>();
        var buffer = new byte[1 << 20];
        int bufLen = 0;
        long bufAt = 0;
        void Flush() { if (bufLen > 0) sink.WriteAt(bufAt, buffer.AsSpan(0, bufLen)); bufLen = 0; }
        RawSidecar SidecarFor(IReadOnlyList<PfnRange> held) => new(source.Header.Machine, source.Header.ByteOrder, ps,
            source.Header.Is64Bit, source.Header.ElfFlags,
            options.DumpLevel | source.DumpLevel, source.RamRanges().ToList(), held, source.Notes.Blob);
        new PagePipeline(source, options with { Compression = Reader.Codecs.PageCompression.None }).Run(present, (in PageItem p) =>
        {
            if (CheckpointSidecarPath is not null && checkpoint.Due(p.Pfn))
            {
                // Pages below p.Pfn are in the image; the sidecar that says so is synced after them.
                Flush();
                ulong watermark = p.Pfn;
                // Skipped zero pages stay listed (a hole reads as zero), as in the final sidecar;
                // the image is extended so those below the watermark are inside it.
                sink.SetLength((long)(watermark * (ulong)ps));
                var below = PfnRanges.Subtract(PfnRanges.Within(present, new PfnRange(0, watermark)), lostRuns);
                checkpoint.Sync();
                WriteSidecarDurably(SidecarFor(below), CheckpointSidecarPath);
                checkpoint.Report(p.Pfn);
            }
            checkpoint.Count();
            done++;
            if (p.Status != PageStatus.Present)
            {
                lost++;
                // Runs, not pages: a truncated input loses whole ranges.
                if (lostRuns.Count > 0 && lostRuns[^1].End == p.Pfn) lostRuns[^1] = lostRuns[^1] with { End = p.Pfn + 1 };
                else lostRuns.Add(new PfnRange(p.Pfn, p.Pfn + 1));
                Flush();
                return;
            }
            if (p.IsZero) { zero++; if (skipZero) { Flush(); return; } }
            long at = (long)(p.Pfn * (ulong)ps);
            if (bufLen > 0 && (at != bufAt + bufLen || bufLen + ps > buffer.Length)) Flush();
            if (bufLen == 0) bufAt = at;
            p.Raw.CopyTo(buffer.AsSpan(bufLen));
            bufLen += ps;
            written++;
            if ((done & 0x3FFF) == 0) options.Progress?.Report(new WriteProgress(done, total, sink.BytesWritten));
        });
        Flush();
        long length = (long)(source.MaxPfn * (ulong)ps);
        sink.SetLength(length);
        sink.Flush(durable: options.Durable);
        sink.Complete();
        var presentOut = lostRuns.Count == 0 ? present : PfnRanges.Subtract(present, lostRuns);
        Sidecar = SidecarFor(presentOut);
        if (CheckpointSidecarPath is not null) WriteSidecarDurably(Sidecar, CheckpointSidecarPath);
        options.OnDurable?.Invoke(ulong.MaxValue);
        return new WriteSummary
        {
            PagesRam = DumpLevel.Count(source.RamRanges()),
            MaxMapnr = source.MaxPfn,
            PagesInSource = total,
            PagesWritten = written,
            ZeroPages = zero,
            ZeroPagesExcluded = skipZero ? zero : 0,
            RawPages = written,
            LostPages = lost,
            BytesOut = length,
        };
    }

    private static void WriteSidecarDurably(RawSidecar sidecar, string path)
    {
        using var output = OutputFile.Create(path, force: true, []);
        sidecar.Write(output.Stream);
        output.Commit(sync: true);
    }
}
