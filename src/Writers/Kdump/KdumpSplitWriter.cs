using HvDumpKit.Reader;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Writers.Kdump;

/// <summary>
/// makedumpfile --split: one kdump-compressed file per range of the split plan, written one after
/// the other (each already compresses on all cores). Files appear under their names only when
/// all are whole.
/// </summary>
public static class KdumpSplitWriter
{
    /// <param name="input">the vmcore's path: no output may be written onto it</param>
    /// <param name="paths">the split files, in PFN order</param>
    /// <param name="splitblockBytes">makedumpfile --splitblock-size, in bytes</param>
    /// <param name="limit">bytes each file may take at most (-L), else null</param>
    /// <returns>the last file's summary with the page and byte counts of the whole set</returns>
    public static WriteSummary Write(IDumpSource source, string input, IReadOnlyList<string> paths, bool force, long splitblockBytes,
        long? limit, WriterOptions options, Reader.Crypto.Age.AgeRecipientSet? encrypt = null)
    {
        ulong maxMapnr = SplitPlan.MaxMapnr(source);
        var ranges = SplitPlan.Cut(source.PresentRanges(), maxMapnr, paths.Count,
            SplitPlan.SplitblockPfns(splitblockBytes, source.Header.PageSize));
        var outputs = new List<OutputFile>();
        try
        {
            ulong pages = 0, written = 0, zero = 0, compressed = 0, raw = 0;
            long bytes = 0;
            WriteSummary? last = null;
            for (int i = 0; i < paths.Count; i++)
            {
                var output = OutputFile.Create(paths[i], force, [input, .. paths.Where((_, j) => j != i)]);
                outputs.Add(output);
                var target = OutputTarget.ToFile(output.Stream).EncryptedTo(encrypt);
                using (var dump = DumpWriters.Create(OutputFormat.Kdump, target, limit: limit))
                    last = dump.Write(source, options with { SplitRange = ranges[i] });
                pages += last.PagesInSource; written += last.PagesWritten; zero += last.ZeroPages;
                compressed += last.CompressedPages; raw += last.RawPages; bytes += last.BytesOut;
            }
            foreach (var o in outputs) o.Commit(sync: false);
            return last! with
            {
                PagesInSource = pages,
                PagesWritten = written,
                ZeroPages = zero,
                ZeroPagesExcluded = DumpLevel.ExcludesZero(options.DumpLevel) ? zero : 0,
                CompressedPages = compressed,
                RawPages = raw,
                BytesOut = bytes,
            };
        }
        finally
        {
            foreach (var o in outputs) o.Dispose();
        }
    }
}
