namespace HvDumpKit.Reader.IO;

/// <summary>A dump held in memory (fuzzing, small fixtures): positional reads over a byte array.</summary>
public sealed class MemoryInput(byte[] data, string path = "<memory>") : IRandomAccessInput
{
    public string Path { get; } = path;
    public long Length => data.Length;

    public int ReadAt(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset >= data.Length) return 0;
        int n = (int)Math.Min(buffer.Length, data.Length - offset);
        data.AsSpan((int)offset, n).CopyTo(buffer);
        return n;
    }

    public void Dispose() { }
}
