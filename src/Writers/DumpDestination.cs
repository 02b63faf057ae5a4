using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Writers;

/// <summary>
/// Where a dump goes, and the writing that takes: a file that appears under its name only when
/// whole, a stream (flattened records), nowhere (a dry run: the writer runs, bytes are counted),
/// or makedumpfile --split's set of files. Each Write starts afresh, so a caller that retries at
/// another dump level after the output filled up gets a new output, never the remains of the last.
/// </summary>
public sealed class DumpDestination
{
    private readonly Func<IDumpSource, OutputFormat, WriterOptions, WriteSummary> _write;

    private DumpDestination(Func<IDumpSource, OutputFormat, WriterOptions, WriteSummary> write) => _write = write;

    public WriteSummary Write(IDumpSource source, OutputFormat format, WriterOptions options) => _write(source, format, options);

    /// <param name="inputs">the files the dump is read from: the output may not be written onto them</param>
    /// <param name="limit">bytes the output may take at most (makedumpfile -L), else null</param>
    public static DumpDestination ToFile(string path, bool force, IReadOnlyList<string> inputs, long? limit = null,
        AgeRecipientSet? encrypt = null) => new((source, format, options) =>
        {
            using var output = OutputFile.Create(path, force, inputs);
            WriteSummary summary;
            using (var dump = DumpWriters.Create(format, OutputTarget.ToFile(output.Stream).EncryptedTo(encrypt), limit: limit))
                summary = dump.Write(source, options);
            output.Commit(options.Durable);
            return summary;
        });

    /// <summary>A stream opened for each write and closed after it (stdout for makedumpfile -F).</summary>
    public static DumpDestination ToStream(Func<Stream> open, long? limit = null, AgeRecipientSet? encrypt = null) =>
        new((source, format, options) =>
        {
            using var dump = DumpWriters.Create(format, OutputTarget.ToStream(open(), ownsStream: true).EncryptedTo(encrypt), limit: limit);
            return dump.Write(source, options);
        });

    public static DumpDestination Discarding() => new((source, format, options) =>
    {
        using var dump = DumpWriters.CreateDiscarding(format);
        return dump.Write(source, options);
    });

    /// <summary>makedumpfile --split: kdump-compressed files, one per range of the split plan (KdumpSplitWriter).</summary>
    public static DumpDestination Split(string input, IReadOnlyList<string> paths, bool force, long splitblockBytes, long? limit,
        AgeRecipientSet? encrypt = null) =>
        new((source, _, options) => KdumpSplitWriter.Write(source, input, paths, force, splitblockBytes, limit, options, encrypt));
}
