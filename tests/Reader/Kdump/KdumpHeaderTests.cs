using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kdump;

/// <summary>The layout a decoded disk_dump_header implies: bitmap and descriptor offsets, status bits, utsname fields.</summary>
public sealed class KdumpHeaderTests
{
    private static KdumpHeader Header(ulong maxMapnr = 1 << 20, int blockSize = 4096, int subHdrSize = 1, uint bitmapBlocks = 64,
        uint status = 0) =>
        new(IsDiskDump: false, ByteOrder.Little, HeaderVersion: 6, ["Linux", "node", "6.1.0-9-amd64", "#1 SMP", "x86_64"],
            TimestampSec: 0, status, blockSize, subHdrSize, bitmapBlocks, maxMapnr, NrCpus: 2, PhysBase: 0, DumpLevel: 31,
            Split: false, StartPfn: 0, EndPfn: maxMapnr, 0, 0, 0, 0, 0, 0);

    [Fact]
    public void BlocksPerBitmap_RoundsBitsToBytesThenBlocks()
    {
        Assert.Equal(32UL, Header(maxMapnr: 1 << 20).BlocksPerBitmap);          // 128 KiB of bits
        Assert.Equal(33UL, Header(maxMapnr: (1 << 20) + 1).BlocksPerBitmap);    // one bit more: one block more
        Assert.Equal(1UL, Header(maxMapnr: 1).BlocksPerBitmap);
    }

    [Fact]
    public void Offsets_HeaderThenSubHeaderThenBitmapsThenDescriptors()
    {
        var h = Header(subHdrSize: 2, bitmapBlocks: 64);
        Assert.Equal(3 * 4096L, h.Bitmap1Offset);
        Assert.True(h.HasTwoBitmaps);
        Assert.Equal(3 * 4096L + 32 * 4096L, h.Bitmap2Offset);
        Assert.Equal((1 + 2 + 64) * 4096L, h.DescriptorsOffset);
    }

    [Fact]
    public void OldDiskdump_OneBitmap_SecondIsTheFirst()
    {
        var h = Header(bitmapBlocks: 32);
        Assert.False(h.HasTwoBitmaps);
        Assert.Equal(h.Bitmap1Offset, h.Bitmap2Offset);
    }

    [Fact]
    public void Status_IncompleteAndCompressionAreSeparateBits()
    {
        var h = Header(status: KdumpLayout.DUMP_DH_COMPRESSED_INCOMPLETE | (uint)PageCompression.Zstd);
        Assert.True(h.Incomplete);
        Assert.Equal(PageCompression.Zstd, h.Compression);
        Assert.False(Header(status: (uint)PageCompression.Lzo).Incomplete);
        Assert.Equal(PageCompression.Lzo, Header(status: (uint)PageCompression.Lzo).Compression);
    }

    [Fact]
    public void UtsName_FieldsInNewUtsnameOrder()
    {
        var h = Header();
        Assert.Equal(("Linux", "node", "6.1.0-9-amd64", "#1 SMP", "x86_64"), (h.Sysname, h.Nodename, h.Release, h.Version, h.Machine));
    }

    [Fact]
    public void Field_StopsAtNulOrTakesAll()
    {
        Assert.Equal("x86_64", KdumpHeader.Field("x86_64\0\0garbage"u8));
        Assert.Equal("full", KdumpHeader.Field("full"u8));
        Assert.Equal("", KdumpHeader.Field("\0x"u8));
    }
}
