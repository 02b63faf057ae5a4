namespace HvDumpKit.Writers.Output.Sinks;

/// <summary>Counts bytes and keeps none (makedumpfile --dry-run): never durable.</summary>
public sealed class NullSink : IOutputSink
{
    private long _written;
    public bool CanRewrite => true;
    public bool IsDurable => false;
    public long BytesWritten => Interlocked.Read(ref _written);
    public void WriteAt(long offset, ReadOnlySpan<byte> data) => Interlocked.Add(ref _written, data.Length);
    public void Flush(bool durable) { }
    public void SetLength(long length) { }
    public void Complete() { }
    public void Dispose() { }
}
