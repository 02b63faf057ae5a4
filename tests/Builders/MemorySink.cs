using HvDumpKit.Writers.Output;

namespace HvDumpKit.Tests.Builders;

/// <summary>An output sink in memory that records every write; not durable; rewritable unless told otherwise.</summary>
public sealed class MemorySink(bool canRewrite = true) : IOutputSink
{
    private byte[] _data = [];

    public List<(long Offset, int Length)> Writes { get; } = new();
    public long Length { get; private set; }
    public bool Completed { get; private set; }
    public bool CanRewrite => canRewrite;
    public bool IsDurable => false;
    public long BytesWritten { get; private set; }

    /// <summary>The bytes written, up to the logical length; holes read as zero.</summary>
    public byte[] Bytes => _data.AsSpan(0, (int)Math.Min(_data.Length, Length)).ToArray().Concat(new byte[Math.Max(0, Length - _data.Length)]).ToArray();

    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        if (!canRewrite && offset < Length) throw new InvalidOperationException($"rewrite at 0x{offset:X} of a stream");
        long end = offset + data.Length;
        if (end > _data.Length) Array.Resize(ref _data, (int)Math.Max(end, _data.Length * 2L));
        data.CopyTo(_data.AsSpan((int)offset));
        Writes.Add((offset, data.Length));
        BytesWritten += data.Length;
        Length = Math.Max(Length, end);
    }

    public void Flush(bool durable) { }
    public void SetLength(long length) => Length = length;
    public void Complete() => Completed = true;
    public void Dispose() { }
}
