using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kdump;

/// <summary>disk_dump_header and kdump_sub_header (kdump-compressed.md §3–4) of the committed kdump sample.</summary>
public sealed class KdumpHeaderReaderTests
{
    private static byte[] Sample() => File.ReadAllBytes(Samples.Kdump);

    private static KdumpHeader Read(byte[] file) => KdumpHeaderReader.Read(new MemoryInput(file, "t.kdump"));

    [Fact]
    public void Read_Sample_EveryFieldAsWritten()
    {
        var h = Read(Sample());
        Assert.False(h.IsDiskDump);
        Assert.Equal(ByteOrder.Little, h.ByteOrder);
        Assert.Equal(6, h.HeaderVersion);
        Assert.Equal(["Linux", "testhost", "6.1.0-test", "#1 SMP PREEMPT_DYNAMIC", "x86_64", "(none)"], h.UtsName);
        Assert.Equal(1700000000L, h.TimestampSec);
        Assert.Equal(PageCompression.Zstd, h.Compression);
        Assert.False(h.Incomplete);
        Assert.Equal(4096, h.BlockSize);
        Assert.Equal(1, h.SubHdrSize);
        Assert.Equal(2U, h.BitmapBlocks);
        Assert.Equal(64UL, h.MaxMapnr);
        Assert.Equal(1, h.NrCpus);
        Assert.Equal(1, h.DumpLevel);
        Assert.False(h.Split);
        Assert.Equal(4096L + 104, h.OffsetNote);
        // Derived layout: one bitmap block each, descriptors after them.
        Assert.Equal(1UL, h.BlocksPerBitmap);
        Assert.True(h.HasTwoBitmaps);
        Assert.Equal(8192L, h.Bitmap1Offset);
        Assert.Equal(12288L, h.Bitmap2Offset);
        Assert.Equal(16384L, h.DescriptorsOffset);
    }

    [Fact]
    public void HasSignature_KdumpAndDiskdumpOnly()
    {
        Assert.True(KdumpHeaderReader.HasSignature("KDUMP   xx"u8));
        Assert.True(KdumpHeaderReader.HasSignature("DISKDUMP"u8));
        Assert.False(KdumpHeaderReader.HasSignature("KDUMP"u8));
        Assert.False(KdumpHeaderReader.HasSignature("makedumpfile"u8));
    }

    [Fact]
    public void DetectByteOrder_BigEndian4096_NotReadAsOneMiB()
    {
        var h = new byte[KdumpLayout.HeaderSize];
        Endian.W32(h.AsSpan(KdumpLayout.HeaderVersion), 6, ByteOrder.Big);
        Endian.W32(h.AsSpan(KdumpLayout.BlockSize), 4096, ByteOrder.Big);
        Assert.Equal(ByteOrder.Big, KdumpHeaderReader.DetectByteOrder(h));
        Endian.W32(h.AsSpan(KdumpLayout.HeaderVersion), 6, ByteOrder.Little);
        Endian.W32(h.AsSpan(KdumpLayout.BlockSize), 65536, ByteOrder.Little);
        Assert.Equal(ByteOrder.Little, KdumpHeaderReader.DetectByteOrder(h));
    }

    [Fact]
    public void DetectByteOrder_NoPowerOfTwoBlockSize_NamesBlockSize()
    {
        var h = new byte[KdumpLayout.HeaderSize];
        Endian.W32(h.AsSpan(KdumpLayout.BlockSize), 3000, ByteOrder.Little);
        var ex = Assert.Throws<DumpFormatException>(() => KdumpHeaderReader.DetectByteOrder(h));
        Assert.Equal("disk_dump_header.block_size", ex.FieldName);
        Assert.Equal(KdumpLayout.BlockSize, ex.Offset);
    }

    [Fact]
    public void Read_BadSignature_NamesIt()
    {
        var f = Sample();
        f[0] = (byte)'X';
        var ex = Assert.Throws<DumpFormatException>(() => Read(f));
        Assert.Equal("disk_dump_header.signature", ex.FieldName);
    }

    [Fact]
    public void Read_UnknownHeaderVersion_NamesIt()
    {
        var f = Sample();
        f[KdumpLayout.HeaderVersion] = 65;
        var ex = Assert.Throws<DumpFormatException>(() => Read(f));
        Assert.Equal("disk_dump_header.header_version", ex.FieldName);
        Assert.Equal("0x41", ex.Value);
    }

    [Fact]
    public void Read_ZeroBitmapBlocks_NamesIt()
    {
        var f = Sample();
        Endian.W32(f.AsSpan(KdumpLayout.BitmapBlocks), 0, ByteOrder.Little);
        var ex = Assert.Throws<DumpFormatException>(() => Read(f));
        Assert.Equal("disk_dump_header.bitmap_blocks", ex.FieldName);
        Assert.Contains("is zero", ex.Message);
    }

    [Fact]
    public void Read_BitmapsPastEndOfFile_SaysWhere()
    {
        var f = Sample().AsSpan(0, 10000).ToArray();
        var ex = Assert.Throws<DumpFormatException>(() => Read(f));
        Assert.Equal("disk_dump_header.bitmap_blocks", ex.FieldName);
        Assert.Contains("up to 0x4000, past end of file (0x2710)", ex.Message);
    }

    [Fact]
    public void Read_TruncatedHeader_NamesDiskDumpHeader()
    {
        var ex = Assert.Throws<DumpFormatException>(() => Read(Sample().AsSpan(0, 100).ToArray()));
        Assert.Equal("disk_dump_header", ex.FieldName);
    }

    [Fact]
    public void Read_IncompleteFlag_Reported()
    {
        var f = Sample();
        f[KdumpLayout.Status] |= (byte)KdumpLayout.DUMP_DH_COMPRESSED_INCOMPLETE;
        var h = Read(f);
        Assert.True(h.Incomplete);
        Assert.Equal(PageCompression.Zstd, h.Compression);
    }
}
