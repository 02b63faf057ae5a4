using System.Text;

namespace HvDumpKit.Reader.Kdump;

/// <summary>disk_dump_header plus kdump_sub_header of a 64-bit target, decoded.</summary>
public sealed record KdumpHeader(
    bool IsDiskDump,
    ByteOrder ByteOrder,
    int HeaderVersion,
    string[] UtsName,
    long TimestampSec,
    uint Status,
    int BlockSize,
    int SubHdrSize,
    uint BitmapBlocks,
    ulong MaxMapnr,
    int NrCpus,
    ulong PhysBase,
    int DumpLevel,
    bool Split,
    ulong StartPfn,
    ulong EndPfn,
    long OffsetVmcoreinfo,
    ulong SizeVmcoreinfo,
    long OffsetNote,
    ulong SizeNote,
    long OffsetEraseinfo,
    ulong SizeEraseinfo)
{
    public string Sysname => UtsName[0];
    public string Nodename => UtsName[1];
    public string Release => UtsName[2];
    public string Version => UtsName[3];
    public string Machine => UtsName[4];
    public bool Incomplete => (Status & KdumpLayout.DUMP_DH_COMPRESSED_INCOMPLETE) != 0;
    public Codecs.PageCompression Compression => (Codecs.PageCompression)(Status & KdumpLayout.CompressionMask);

    /// <summary>Blocks of one bitmap: ceil(ceil(max_mapnr/8)/block_size).</summary>
    public ulong BlocksPerBitmap => ((MaxMapnr + 7) / 8 + (ulong)BlockSize - 1) / (ulong)BlockSize;
    public long Bitmap1Offset => (1L + SubHdrSize) * BlockSize;
    /// <summary>Old single-bitmap diskdump files use the whole region as the dumpable bitmap.</summary>
    public bool HasTwoBitmaps => BitmapBlocks >= 2 * BlocksPerBitmap;
    public long Bitmap2Offset => HasTwoBitmaps ? Bitmap1Offset + (long)(BitmapBlocks / 2) * BlockSize : Bitmap1Offset;
    public long DescriptorsOffset => (1L + SubHdrSize + BitmapBlocks) * BlockSize;

    public static string Field(ReadOnlySpan<byte> b)
    {
        int nul = b.IndexOf((byte)0);
        return Encoding.ASCII.GetString(nul >= 0 ? b[..nul] : b);
    }
}
