namespace HvDumpKit.Reader.IO;

/// <summary>
/// A positional view of a dump file: no shared seek position, so readers on several threads
/// can use one instance. The flattened format hides under this (libkdumpfile's flatmap).
/// </summary>
public interface IRandomAccessInput : IDisposable
{
    string Path { get; }
    /// <summary>Length of the logical file (for a flattened stream: of the rearranged file).</summary>
    long Length { get; }
    /// <summary>Reads up to buffer.Length bytes; returns fewer only at end of file.</summary>
    int ReadAt(long offset, Span<byte> buffer);
}

public static class RandomAccessInputExtensions
{
    /// <summary>Reads exactly buffer.Length bytes or throws a format error naming the field.</summary>
    public static void ReadExactly(this IRandomAccessInput input, long offset, Span<byte> buffer, string field)
    {
        int n = input.ReadAt(offset, buffer);
        if (n != buffer.Length)
            throw new DumpFormatException(input.Path, offset, field, null,
                $"is truncated: needs {buffer.Length} bytes, file ends at 0x{input.Length:X}");
    }
}
