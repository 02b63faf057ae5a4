namespace HvDumpKit.Reader.Kdump;

/// <summary>
/// disk_dump_header and kdump_sub_header offsets for 64-bit targets (kdump-compressed.md §3–4,
/// makedumpfile diskdump_mod.h). Every integer is in the dumped machine's byte order.
/// </summary>
public static class KdumpLayout
{
    public static ReadOnlySpan<byte> Signature => "KDUMP   "u8;
    public static ReadOnlySpan<byte> DiskDumpSignature => "DISKDUMP"u8;
    public const int SignatureSize = 8;
    public const int HeaderVersion = 8;
    public const int UtsName = 12;
    public const int UtsFieldSize = 65;
    public const int UtsSysname = UtsName, UtsNodename = UtsName + 65, UtsRelease = UtsName + 130,
        UtsVersion = UtsName + 195, UtsMachine = UtsName + 260, UtsDomainname = UtsName + 325;
    public const int TimestampSec = 408;
    public const int TimestampUsec = 416;
    public const int Status = 424;
    public const int BlockSize = 428;
    public const int SubHdrSize = 432;
    public const int BitmapBlocks = 436;
    public const int MaxMapnr = 440;
    public const int TotalRamBlocks = 444;
    public const int DeviceBlocks = 448;
    public const int WrittenBlocks = 452;
    public const int CurrentCpu = 456;
    public const int NrCpus = 460;
    public const int HeaderSize = 464;

    /// <summary>kdump_sub_header, at offset block_size.</summary>
    public static class Sub
    {
        public const int PhysBase = 0, DumpLevel = 8, Split = 12, StartPfn = 16, EndPfn = 24,
            OffsetVmcoreinfo = 32, SizeVmcoreinfo = 40, OffsetNote = 48, SizeNote = 56,
            OffsetEraseinfo = 64, SizeEraseinfo = 72, StartPfn64 = 80, EndPfn64 = 88, MaxMapnr64 = 96;
        public const int Size = 104;
    }

    /// <summary>page_desc: offset i64, size u32, flags u32, page_flags u64.</summary>
    public static class Desc
    {
        public const int Offset = 0, Size = 8, Flags = 12, PageFlags = 16;
        public const int Length = 24;
    }

    public const uint DUMP_DH_COMPRESSED_INCOMPLETE = 0x08;
    public const uint DUMP_DH_EXCLUDED_VMEMMAP = 0x10;
    public const uint CompressionMask = 0x01 | 0x02 | 0x04 | 0x20;

    /// <summary>crash counts dumpable pages per BITMAP_SECT_LEN pfns; we do the same.</summary>
    public const int BitmapSectionPfns = 4096;
}
