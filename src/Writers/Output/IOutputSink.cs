namespace HvDumpKit.Writers.Output;

/// <summary>
/// Where a writer puts bytes: positioned writes, so the same writer produces a seekable file
/// or (through FlattenedSink) a makedumpfile -F stream for a pipe.
/// </summary>
public interface IOutputSink : IDisposable
{
    void WriteAt(long offset, ReadOnlySpan<byte> data);
    /// <summary>
    /// Pushes everything written so far out of the sink's buffers; with durable, also to stable
    /// storage (fsync) when <see cref="IsDurable"/>. The release protocol depends on it.
    /// </summary>
    void Flush(bool durable);
    /// <summary>
    /// True when Flush(durable: true) makes the bytes written so far survive a crash (an fsync'd
    /// regular file). False for a pipe, a terminal or a sink that only counts: memory must never be
    /// released against such an output. Stated by whoever made the sink, never guessed from a type.
    /// </summary>
    bool IsDurable { get; }
    /// <summary>False for a stream: bytes already written cannot be changed (the INCOMPLETE flag cannot be cleared later).</summary>
    bool CanRewrite { get; }
    /// <summary>Sets the final logical length (trailing holes of a sparse image).</summary>
    void SetLength(long length);
    /// <summary>Called once when the writer has produced everything.</summary>
    void Complete();
    long BytesWritten { get; }

}
