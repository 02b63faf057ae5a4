namespace HvDumpKit.Reader.Codecs;

/// <summary>
/// makedumpfile's page_desc.flags / disk_dump_header.status compression bits (diskdump_mod.h).
/// 0x08 is DUMP_DH_COMPRESSED_INCOMPLETE, not a codec — zstd is 0x20.
/// </summary>
[Flags]
public enum PageCompression : uint
{
    None = 0,
    Zlib = 0x01,
    Lzo = 0x02,
    Snappy = 0x04,
    Zstd = 0x20,
}

/// <summary>Raised when a stored page does not decode to exactly one page.</summary>

/// <summary>One codec instance per worker thread: compressors keep scratch state.</summary>
public interface IPageCompressor : IDisposable
{
    PageCompression Kind { get; }
    /// <summary>Compresses one page into dst; returns the length, or 0 when the result is not strictly smaller.</summary>
    int Compress(ReadOnlySpan<byte> page, Span<byte> dst);
}

public static class PageCodecs
{
    public static PageCompression Parse(string name) => name.ToLowerInvariant() switch
    {
        "zlib" => PageCompression.Zlib,
        "lzo" => PageCompression.Lzo,
        "snappy" => PageCompression.Snappy,
        "zstd" => PageCompression.Zstd,
        "none" => PageCompression.None,
        _ => throw new ArgumentException($"unknown compression '{name}' (zlib, lzo, snappy, zstd, none)"),
    };

    public static string Name(PageCompression c) => c switch
    {
        PageCompression.Zlib => "zlib",
        PageCompression.Lzo => "lzo",
        PageCompression.Snappy => "snappy",
        PageCompression.Zstd => "zstd",
        PageCompression.None => "none",
        _ => $"0x{(uint)c:x}",
    };

    /// <summary>The level a codec runs at unless asked otherwise (zlib's was chosen by bench/compare.sh; zstd 1).</summary>
    public static int DefaultLevel(PageCompression kind) => kind == PageCompression.Zlib ? ZlibPageCodec.DefaultLevel : 1;

    /// <summary>Worst-case compressed size for a page, for scratch buffers.</summary>
    public static int MaxCompressedSize(int pageSize) => pageSize + pageSize / 8 + 256;

    public static IPageCompressor CreateCompressor(PageCompression kind, int level) => kind switch
    {
        PageCompression.Zlib => new ZlibPageCodec(level),
        PageCompression.Lzo => new LzoPageCodec(),
        PageCompression.Snappy => new SnappyPageCodec(),
        PageCompression.Zstd => new ZstdPageCodec(level),
        _ => throw new ArgumentException($"no compressor for {kind}"),
    };

    /// <summary>
    /// A stored page that does not decode: malformed input like any other. The offset is within
    /// the page's data; the reader that knows the file adds the file offset and the PFN.
    /// </summary>
    public static DumpFormatException Corrupt(string problem) => DumpFormatException.Field(0, "page data", problem);

    /// <summary>Decodes one stored page; dst is exactly one page and must be filled completely.</summary>
    /// <exception cref="DumpFormatException">the data does not decode to exactly one page</exception>
    public static void Decompress(PageCompression kind, ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int n;
        try
        {
            n = kind switch
            {
                PageCompression.Zlib => ZlibPageCodec.Decompress(src, dst),
                PageCompression.Lzo => LzoPageCodec.Decompress(src, dst),
                PageCompression.Snappy => SnappyPageCodec.Decompress(src, dst),
                PageCompression.Zstd => ZstdPageCodec.Decompress(src, dst),
                _ => throw Corrupt($"unknown compression flags 0x{(uint)kind:x}"),
            };
        }
        // What the decoders raise for data they cannot decode; anything else is a bug of ours and
        // must not be reported as a corrupt file.
        catch (Exception ex) when (ex is InvalidDataException or ZstdSharp.ZstdException)
        {
            throw Corrupt($"{Name(kind)} data is corrupt ({ex.Message})");
        }
        if (n != dst.Length)
            throw Corrupt($"{Name(kind)} data decodes to {n} bytes, not {dst.Length}");
    }
}
