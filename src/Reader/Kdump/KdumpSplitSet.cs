using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Kdump;

/// <summary>
/// The files of one `makedumpfile --split` run read as one dump (kdump-compressed.md §9): every
/// file carries the full bitmaps, notes and VMCOREINFO, and the page descriptors of its own PFN
/// range only. Ranges must tile [0, max_mapnr) exactly, as makedumpfile --reassemble requires;
/// a page is read from the file whose range holds it.
/// </summary>
public sealed class KdumpSplitSet : IDumpSource
{
    private readonly KdumpDumpSource[] _files; // sorted by start PFN

    private KdumpSplitSet(KdumpDumpSource[] files) => _files = files;

    public static KdumpSplitSet Open(IReadOnlyList<string> paths, DumpLimits? limits = null)
    {
        if (paths.Count == 0) throw new ArgumentException("no split files", nameof(paths));
        var opened = new List<KdumpDumpSource>();
        try
        {
            foreach (var p in paths)
            {
                var src = DumpProbe.Open(p, limits);
                if (src is not KdumpDumpSource k)
                {
                    src.Dispose();
                    throw new DumpFormatException(p, 0, "signature", null,
                        "is not a kdump-compressed file (a --split set holds only those)");
                }
                opened.Add(k);
            }
            Validate(opened);
            return new KdumpSplitSet([.. opened.OrderBy(k => k.Kdump.StartPfn)]);
        }
        catch
        {
            foreach (var k in opened) k.Dispose();
            throw;
        }
    }

    private static void Validate(List<KdumpDumpSource> files)
    {
        var first = files[0].Kdump;
        foreach (var f in files)
        {
            var h = f.Kdump;
            if (!h.Split)
                throw new DumpFormatException(f.Path, h.BlockSize + KdumpLayout.Sub.Split, "kdump_sub_header.split", "0",
                    "is not set: the file is not part of a --split set");
            if (h.MaxMapnr != first.MaxMapnr)
                throw new DumpFormatException(f.Path, KdumpLayout.MaxMapnr, "max_mapnr", h.MaxMapnr.ToString(),
                    $"differs from {files[0].Path}'s {first.MaxMapnr}: not the same dump");
            if (h.BlockSize != first.BlockSize || h.BitmapBlocks != first.BitmapBlocks || h.SubHdrSize != first.SubHdrSize
                || h.TimestampSec != first.TimestampSec
                || h.ByteOrder != first.ByteOrder || !h.UtsName.SequenceEqual(first.UtsName))
                throw new DumpFormatException(f.Path, 0, "disk_dump_header", null, $"differs from {files[0].Path}'s: not the same dump");
        }
        ulong at = 0;
        foreach (var f in files.OrderBy(k => k.Kdump.StartPfn))
        {
            if (f.Kdump.StartPfn != at)
                throw new DumpFormatException(f.Path, f.Kdump.BlockSize + KdumpLayout.Sub.StartPfn64, "kdump_sub_header.start_pfn_64",
                    f.Kdump.StartPfn.ToString(),
                    at < f.Kdump.StartPfn ? $"leaves PFNs {at}–{f.Kdump.StartPfn - 1} in no file of the set"
                        : $"overlaps the previous file's range (ends at {at})");
            at = f.Kdump.EndPfn;
        }
        if (at != first.MaxMapnr)
            throw new DumpFormatException(files.OrderBy(k => k.Kdump.StartPfn).Last().Path, first.BlockSize + KdumpLayout.Sub.EndPfn64,
                "kdump_sub_header.end_pfn_64", at.ToString(),
                $"the set ends before max_mapnr {first.MaxMapnr}: a split file is missing");
    }

    public IReadOnlyList<KdumpDumpSource> Files => _files;
    public KdumpHeader Kdump => _files[0].Kdump;
    public string Path => _files[0].Path;
    public DumpHeader Header => _files[0].Header;
    public DumpFacts Facts => _files[0].Facts;
    public NoteSet Notes => _files[0].Notes;
    public VmcoreInfo? VmcoreInfo => _files[0].VmcoreInfo;
    public ulong MaxPfn => _files[0].MaxPfn;
    public int DumpLevel => _files[0].DumpLevel;
    public IReadOnlyList<string> Warnings => [.. _files.SelectMany(f => f.Warnings).Distinct()];
    public IEnumerable<PfnRange> RamRanges() => _files[0].RamRanges();
    public IEnumerable<PfnRange> PresentRanges() => _files[0].PresentRanges();

    public PageStatus ReadPage(ulong pfn, Span<byte> page)
    {
        // Few files: a linear scan for the one whose [start, end) holds the PFN.
        foreach (var f in _files)
            if (pfn < f.Kdump.EndPfn) return f.ReadPage(pfn, page);
        return _files[^1].ReadPage(pfn, page);
    }

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }
}
