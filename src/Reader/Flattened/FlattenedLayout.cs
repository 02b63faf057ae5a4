namespace HvDumpKit.Reader.Flattened;

/// <summary>makedumpfile -F stream layout (flattened.md): big-endian on every architecture.</summary>
public static class FlattenedLayout
{
    public static ReadOnlySpan<byte> Signature => "makedumpfile"u8;
    public const int SignatureField = 16;
    public const int Type = 16;
    public const int Version = 24;
    public const int HeaderSize = 4096; // MAX_SIZE_MDF_HEADER
    public const long TypeFlatHeader = 1;
    public const long VersionFlatHeader = 1;
    public const int RecordHeaderSize = 16; // makedumpfile_data_header: offset i64, buf_size i64
    public const long EndFlag = -1;

    public static bool HasSignature(ReadOnlySpan<byte> start) =>
        start.Length >= 16 && start[..12].SequenceEqual(Signature) && start[12] == 0;
}
