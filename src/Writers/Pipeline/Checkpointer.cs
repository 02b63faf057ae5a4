using HvDumpKit.Writers.Output;

namespace HvDumpKit.Writers.Pipeline;

/// <summary>
/// A writer's durability checkpoints: every <see cref="WriterOptions.CheckpointPages"/> pages
/// (and, where a writer asks, after four times as many PFNs passed: at high dump levels most PFNs
/// are excluded and their memory can go back without any write) the writer pushes out what it
/// buffers, the sink is synced, and <see cref="WriterOptions.OnDurable"/> hears the PFN below
/// which everything is durable. Only when someone listens: each checkpoint costs an fsync.
/// Refuses, before anything is written, a sink that cannot be made durable when someone listens:
/// memory released against a pipe would be lost.
/// </summary>
public sealed class Checkpointer
{
    private readonly IOutputSink _sink;
    private readonly Action<ulong>? _onDurable;
    private readonly ulong _every;
    private readonly bool _countPassedPfns;
    private ulong _since, _lastWatermark;

    /// <param name="countPassedPfns">also check point after 4 × CheckpointPages PFNs passed, written or not</param>
    public Checkpointer(IOutputSink sink, WriterOptions options, bool countPassedPfns = false)
    {
        _sink = sink;
        _onDurable = options.OnDurable;
        _every = (ulong)options.CheckpointPages;
        _countPassedPfns = countPassedPfns;
        if ((_onDurable is not null || options.OnExcludedFinal is not null) && !sink.IsDurable)
            throw new OutputNotDurableException(
                "the output cannot be made durable (a pipe or a terminal?): no memory may be released against it");
    }

    /// <summary>True when a checkpoint is due before the page at pfn.</summary>
    public bool Due(ulong pfn) => _onDurable is not null
        && (_since >= _every || (_countPassedPfns && _since > 0 && pfn - _lastWatermark >= 4 * _every));

    /// <summary>Counts pages written (or copied) since the last checkpoint.</summary>
    public void Count(ulong pages = 1) => _since += pages;

    /// <summary>The writer's buffers are out: syncs the sink and reports that every PFN below watermark is durable.</summary>
    public void Reach(ulong watermark)
    {
        Sync();
        Report(watermark);
    }

    /// <summary>The sync alone, for a writer with more to make durable before it reports (a raw image's sidecar).</summary>
    public void Sync() => _sink.Flush(durable: true);

    /// <summary>Reports a watermark already made durable.</summary>
    public void Report(ulong watermark)
    {
        _onDurable?.Invoke(watermark);
        _since = 0;
        _lastWatermark = watermark;
    }
}
