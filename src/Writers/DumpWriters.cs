using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Raw;
using HvDumpKit.Writers.Elf;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Output.Sinks;
using HvDumpKit.Writers.Raw;

namespace HvDumpKit.Writers;

/// <summary>The output formats hvdump writes.</summary>
public enum OutputFormat { Raw, Elf, Kdump, Flattened }

/// <summary>
/// The one place that maps an output format and codec to a writer and a sink. Adding a sink is a
/// file under Output/Sinks and a line in <see cref="CreateSink"/>.
/// </summary>
public static class DumpWriters
{
    /// <summary>"raw", "elf", "kdump", "flat" or "flattened"; null for anything else.</summary>
    public static OutputFormat? Parse(string name) => name.ToLowerInvariant() switch
    {
        "raw" => OutputFormat.Raw,
        "elf" => OutputFormat.Elf,
        "kdump" => OutputFormat.Kdump,
        "flat" or "flattened" => OutputFormat.Flattened,
        _ => null,
    };

    public static string Name(OutputFormat format) => format switch
    {
        OutputFormat.Raw => "raw",
        OutputFormat.Elf => "elf",
        OutputFormat.Kdump => "kdump",
        _ => "flat",
    };

    /// <summary>Whether the format stores compressed pages (kdump-compressed, plain or flattened).</summary>
    public static bool Compresses(OutputFormat format) => format is OutputFormat.Kdump or OutputFormat.Flattened;

    /// <summary>The codec a format writes with: ELF and raw hold pages as they are.</summary>
    public static PageCompression Codec(OutputFormat format, PageCompression requested) =>
        Compresses(format) ? requested : PageCompression.None;

    /// <summary>The writer and sink for a format on a target.</summary>
    /// <param name="rawCheckpointSidecar">raw only: the sidecar synced at every checkpoint (hvdump save)</param>
    /// <param name="limit">bytes the output may take at most (makedumpfile -L), else null</param>
    public static DumpOutput Create(OutputFormat format, OutputTarget target, string? rawCheckpointSidecar = null, long? limit = null)
    {
        IDumpWriter writer = format switch
        {
            OutputFormat.Raw => new RawWriter { CheckpointSidecarPath = rawCheckpointSidecar },
            OutputFormat.Elf => new ElfWriter(),
            _ => new KdumpWriter(),
        };
        return new DumpOutput(writer, LimitedSink.Wrap(CreateSink(format, target), limit));
    }

    /// <summary>A sink that keeps nothing (a dry run): the writer runs, the bytes are counted.</summary>
    public static DumpOutput CreateDiscarding(OutputFormat format) =>
        new(format == OutputFormat.Elf ? new ElfWriter() : format == OutputFormat.Raw ? new RawWriter() : new KdumpWriter(),
            new NullSink());

    private static IOutputSink CreateSink(OutputFormat format, OutputTarget target)
    {
        // A stream cannot seek: whatever the payload, it goes as flattened records (makedumpfile -F -E too).
        if (format == OutputFormat.Flattened || target.File is null)
        {
            // 16-byte record headers between payloads: buffered, so they are not a write(2) each.
            var buffered = new BufferedStream(target.Stream, 1 << 20);
            if (target.Recipients is { } to)
                return new AgeFlattenedSink(AgeEncryptingSink.ForStream(to, buffered, syncOnComplete: target.File is not null,
                    durableFile: target.File?.SafeFileHandle), target.File is null && target.OwnsStream ? buffered : null);
            return target.File is { } file ? new FlattenedSink(buffered, ownsStream: false, file.SafeFileHandle)
                : new FlattenedSink(buffered, ownsStream: target.OwnsStream);
        }
        // Encrypted, the last chunks are synced at the end: releasing memory waits for them (AgeReleaseGate).
        if (target.Recipients is { } recipients)
            return AgeEncryptingSink.ForFile(recipients, target.File.SafeFileHandle, syncOnComplete: true);
        return new FileSink(target.File.SafeFileHandle, ownsHandle: false);
    }
}
