namespace HvDumpKit.Writers.Output;

/// <summary>
/// Under encryption, a writer's "durable up to PFN p" is not yet true: the chunks holding the
/// last pages and descriptors, and the header chunk, are still pending in memory (sealing them
/// early would need them sealed twice). Rather than trust a guess, releases wait for the end:
/// the excluded runs and the final watermark are passed on only once the writer reports the whole
/// file durable (after Complete, which seals every chunk and fsyncs). Memory comes back all at once,
/// as with FADump's release_mem; nothing is ever released that the file does not hold durably.
/// </summary>
public static class AgeReleaseGate
{
    public static WriterOptions Defer(WriterOptions options)
    {
        var onDurable = options.OnDurable;
        var onExcluded = options.OnExcludedFinal;
        List<HvDumpKit.Reader.PfnRange>? excluded = null;
        return options with
        {
            OnExcludedFinal = onExcluded is null ? null : runs => excluded = [.. runs],
            OnDurable = onDurable is null ? null : watermark =>
            {
                if (watermark != ulong.MaxValue) return;
                if (excluded is not null) onExcluded!(excluded);
                onDurable(watermark);
            },
        };
    }
}
