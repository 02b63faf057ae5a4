using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;

namespace HvDumpKit.Writers.Kdump;

/// <summary>
/// makedumpfile --reassemble: one kdump-compressed file from a --split set, its pages read through
/// each file's range, written with the set's codec and dump level.
/// </summary>
public static class KdumpReassembler
{
    /// <param name="splits">the --split files, any order</param>
    public static WriteSummary Write(IReadOnlyList<string> splits, string path, bool force, int threads)
    {
        using var set = KdumpSplitSet.Open(splits);
        var options = new WriterOptions
        {
            Compression = set.Kdump.Compression,
            CompressionLevel = PageCodecs.DefaultLevel(set.Kdump.Compression),
            DumpLevel = set.DumpLevel & 31,
            Threads = threads,
            Durable = false,
        };
        return DumpDestination.ToFile(path, force, splits).Write(set, OutputFormat.Kdump, options);
    }
}
