namespace HvDumpKit.Writers.Output;

/// <summary>
/// Where a writer puts bytes: positioned writes, so the same writer produces a seekable file
/// or (through FlattenedSink) a makedumpfile -F stream for a pipe.
/// </summary>
public interface IOutputSink : IDisposable
{
    void WriteAt(long offset, ReadOnlySpan<byte> data);
    /// <summary>Makes everything written so far durable (fsync); the release protocol depends on it.</summary>
    void Flush(bool durable);
    /// <summary>False for a stream: bytes already written cannot be changed (the INCOMPLETE flag cannot be cleared later).</summary>
    bool CanRewrite { get; }
    /// <summary>Sets the final logical length (trailing holes of a sparse image).</summary>
    void SetLength(long length);
    /// <summary>Called once when the writer has produced everything.</summary>
    void Complete();
    long BytesWritten { get; }

}
