using HvDumpKit.Reader.IO;

namespace HvDumpKit.Reader.Kdump;

/// <summary>Decodes and validates disk_dump_header and kdump_sub_header.</summary>
public static class KdumpHeaderReader
{
    public static bool HasSignature(ReadOnlySpan<byte> start) =>
        start.Length >= 8 && (start[..8].SequenceEqual(KdumpLayout.Signature) || start[..8].SequenceEqual(KdumpLayout.DiskDumpSignature));

    /// <summary>
    /// The header carries no byte-order flag: take the order in which header_version is a small
    /// number and block_size a power-of-two page size. block_size alone is ambiguous — a
    /// big-endian 4096 reads as 1 MiB little-endian.
    /// </summary>
    public static ByteOrder DetectByteOrder(ReadOnlySpan<byte> h)
    {
        static bool Plausible(int bs) => bs >= 512 && bs <= (1 << 20) && (bs & (bs - 1)) == 0;
        static bool Fits(ReadOnlySpan<byte> h,
            ByteOrder o) => Plausible(Endian.I32(h[KdumpLayout.BlockSize..], o)) && Endian.U32(h[KdumpLayout.HeaderVersion..], o) <= 64;
        if (Fits(h, ByteOrder.Little)) return ByteOrder.Little;
        if (Fits(h, ByteOrder.Big)) return ByteOrder.Big;
        if (Plausible(Endian.I32(h[KdumpLayout.BlockSize..], ByteOrder.Little))) return ByteOrder.Little;
        if (Plausible(Endian.I32(h[KdumpLayout.BlockSize..], ByteOrder.Big))) return ByteOrder.Big;
        throw DumpFormatException.Field(KdumpLayout.BlockSize, "disk_dump_header.block_size",
            Endian.U32(h[KdumpLayout.BlockSize..], ByteOrder.Little), "is not a power-of-two page size in either byte order");
    }

    public static KdumpHeader Read(IRandomAccessInput input)
    {
        Span<byte> h = stackalloc byte[KdumpLayout.HeaderSize];
        input.ReadExactly(0, h, "disk_dump_header");
        if (!HasSignature(h))
            throw DumpFormatException.Field(0, "disk_dump_header.signature", "is neither \"KDUMP   \" nor \"DISKDUMP\"");
        bool diskdump = h[..8].SequenceEqual(KdumpLayout.DiskDumpSignature);
        var o = DetectByteOrder(h);
        int version = Endian.I32(h[KdumpLayout.HeaderVersion..], o);
        if (version < 0 || version > 64)
            throw DumpFormatException.Field(KdumpLayout.HeaderVersion, "disk_dump_header.header_version", (ulong)(uint)version,
                "is not a known version (0–6)");
        var uts = new string[6];
        for (int i = 0; i < 6; i++)
            uts[i] = KdumpHeader.Field(h.Slice(KdumpLayout.UtsName + i * KdumpLayout.UtsFieldSize, KdumpLayout.UtsFieldSize));
        int blockSize = Endian.I32(h[KdumpLayout.BlockSize..], o);
        int subHdrSize = Endian.I32(h[KdumpLayout.SubHdrSize..], o);
        uint bitmapBlocks = Endian.U32(h[KdumpLayout.BitmapBlocks..], o);
        ulong maxMapnr = Endian.U32(h[KdumpLayout.MaxMapnr..], o);
        if (subHdrSize < 0 || subHdrSize > (1 << 20))
            throw DumpFormatException.Field(KdumpLayout.SubHdrSize, "disk_dump_header.sub_hdr_size", (ulong)(uint)subHdrSize,
                "is not a plausible block count");
        if (bitmapBlocks == 0)
            throw DumpFormatException.Field(KdumpLayout.BitmapBlocks, "disk_dump_header.bitmap_blocks", 0, "is zero");

        ulong physBase = 0; int dumpLevel = 0; bool split = false;
        ulong startPfn = 0, endPfn = 0, sizeVmci = 0, sizeNote = 0, sizeErase = 0;
        long offVmci = 0, offNote = 0, offErase = 0;
        if (version >= 1 && !diskdump)
        {
            Span<byte> s = stackalloc byte[KdumpLayout.Sub.Size];
            input.ReadExactly(blockSize, s, "kdump_sub_header");
            physBase = Endian.U64(s[KdumpLayout.Sub.PhysBase..], o);
            dumpLevel = Endian.I32(s[KdumpLayout.Sub.DumpLevel..], o);
            if (version >= 2)
            {
                split = Endian.I32(s[KdumpLayout.Sub.Split..], o) != 0;
                startPfn = Endian.U64(s[KdumpLayout.Sub.StartPfn..], o);
                endPfn = Endian.U64(s[KdumpLayout.Sub.EndPfn..], o);
            }
            if (version >= 3)
            {
                offVmci = Endian.I64(s[KdumpLayout.Sub.OffsetVmcoreinfo..], o);
                sizeVmci = Endian.U64(s[KdumpLayout.Sub.SizeVmcoreinfo..], o);
            }
            if (version >= 4)
            {
                offNote = Endian.I64(s[KdumpLayout.Sub.OffsetNote..], o);
                sizeNote = Endian.U64(s[KdumpLayout.Sub.SizeNote..], o);
            }
            if (version >= 5)
            {
                offErase = Endian.I64(s[KdumpLayout.Sub.OffsetEraseinfo..], o);
                sizeErase = Endian.U64(s[KdumpLayout.Sub.SizeEraseinfo..], o);
            }
            if (version >= 6)
            {
                maxMapnr = Endian.U64(s[KdumpLayout.Sub.MaxMapnr64..], o);
                if (split)
                {
                    startPfn = Endian.U64(s[KdumpLayout.Sub.StartPfn64..], o);
                    endPfn = Endian.U64(s[KdumpLayout.Sub.EndPfn64..], o);
                }
            }
        }
        var header = new KdumpHeader(diskdump, o, version, uts,
            Endian.I64(h[KdumpLayout.TimestampSec..], o), Endian.U32(h[KdumpLayout.Status..], o),
            blockSize, subHdrSize, bitmapBlocks, maxMapnr, Endian.I32(h[KdumpLayout.NrCpus..], o),
            physBase, dumpLevel, split, startPfn, endPfn, offVmci, sizeVmci, offNote, sizeNote, offErase, sizeErase);

        // Bitmaps: crash mmaps them and rejects a region past end of file.
        if ((ulong)header.BitmapBlocks < header.BlocksPerBitmap)
            throw DumpFormatException.Field(KdumpLayout.BitmapBlocks, "disk_dump_header.bitmap_blocks", bitmapBlocks,
                $"is too small for max_mapnr {maxMapnr} (needs {header.BlocksPerBitmap} blocks per bitmap)");
        long bitmapEnd = header.Bitmap1Offset + (long)bitmapBlocks * blockSize;
        if (bitmapEnd > input.Length)
            throw DumpFormatException.Field(KdumpLayout.BitmapBlocks, "disk_dump_header.bitmap_blocks", bitmapBlocks,
                $"puts the bitmaps up to 0x{bitmapEnd:X}, past end of file (0x{input.Length:X})");
        if (split && (endPfn < startPfn || endPfn > maxMapnr))
            throw DumpFormatException.Field(blockSize + KdumpLayout.Sub.EndPfn64, "kdump_sub_header.end_pfn_64", endPfn,
                $"is outside [start_pfn {startPfn}, max_mapnr {maxMapnr}]");
        return header;
    }
}
