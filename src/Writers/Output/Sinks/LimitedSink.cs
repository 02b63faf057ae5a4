namespace HvDumpKit.Writers.Output.Sinks;

/// <summary>
/// An output that fills up at a size (makedumpfile -L): a write past it fails as a full disk
/// would, so the fallback dump levels apply. Disposes the inner sink only when it owns it.
/// </summary>
public sealed class LimitedSink(IOutputSink inner, long limit, bool ownsInner = false) : IOutputSink
{
    public bool CanRewrite => inner.CanRewrite;
    public bool IsDurable => inner.IsDurable;
    public long BytesWritten => inner.BytesWritten;

    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        if (offset + data.Length > limit) throw new OutputFullException($"the dump file size limit (-L {limit}) was reached");
        inner.WriteAt(offset, data);
    }

    public void Flush(bool durable) => inner.Flush(durable);
    public void SetLength(long length) => inner.SetLength(length);
    public void Complete() => inner.Complete();
    public void Dispose() { if (ownsInner) inner.Dispose(); }

    /// <summary>The sink with a limit (owning it), or itself when there is none.</summary>
    public static IOutputSink Wrap(IOutputSink sink, long? limit) => limit is long l ? new LimitedSink(sink, l, ownsInner: true) : sink;
}
