using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kdump;

public sealed class KdumpDumpSourceTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const long Descs = 16384; // (1 + sub_hdr_size 1 + bitmap_blocks 2) * 4096 for the synthetic kernel

    private byte[] Kdump(PageCompression comp, int level = 0)
    {
        var src = SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));
        var k = _dir.File($"k-{comp}-{level}");
        Builders.Convert.To(src, k, "kdump", comp, level);
        return File.ReadAllBytes(k);
    }

    private KdumpDumpSource Open(byte[] bytes, string name = "x")
    {
        var p = _dir.File(name);
        File.WriteAllBytes(p, bytes);
        return KdumpDumpSource.Open(new PlainFileInput(p));
    }

    private static long DescOffset(int index) => Descs + index * 24;

    [Theory]
    [InlineData(PageCompression.Zlib)]
    [InlineData(PageCompression.Lzo)]
    [InlineData(PageCompression.Snappy)]
    [InlineData(PageCompression.Zstd)]
    public void ReadPage_CorruptCompressedPage_ClearErrorNamingPfn(PageCompression comp)
    {
        var b = Kdump(comp);
        // pfn 1 is the first compressed page (pattern data); flip its bytes.
        long off = BitConverter.ToInt64(b, (int)DescOffset(1));
        uint size = BitConverter.ToUInt32(b, (int)DescOffset(1) + 8);
        Assert.Equal((uint)comp, BitConverter.ToUInt32(b, (int)DescOffset(1) + 12));
        for (long i = off; i < off + size; i++) b[i] ^= 0x5A;
        using var k = Open(b);
        var page = new byte[4096];
        try
        {
            var st = k.ReadPage(1, page);
            // LZO/snappy may decode flipped bytes "successfully"; then the content must differ.
            Assert.Equal(PageStatus.Present, st);
            Assert.NotEqual(Enumerable.Repeat((byte)0, 4096), page);
        }
        catch (DumpFormatException ex)
        {
            Assert.Contains("pfn 0x1", ex.Message);
            Assert.Equal("page data", ex.FieldName);
        }
    }

    [Fact]
    public void ReadPage_BogusDescriptor_FormatErrorAtItsOffset()
    {
        var b = Kdump(PageCompression.Zlib);
        BitConverter.GetBytes(100000u).CopyTo(b, (int)DescOffset(2) + 8); // size > block_size
        using var k = Open(b);
        var ex = Assert.Throws<DumpFormatException>(() => k.ReadPage(2, new byte[4096]));
        Assert.Equal(DescOffset(2), ex.Offset);
        Assert.Equal("page_desc", ex.FieldName);
    }

    [Fact]
    public void ReadPage_TruncatedFile_PagesPastEndAreLost()
    {
        var b = Kdump(PageCompression.None);
        using var k = Open(b.AsSpan(0, b.Length - 3 * 4096).ToArray());
        var page = new byte[4096];
        Assert.Equal(PageStatus.Present, k.ReadPage(1, page));
        Assert.Equal(PageStatus.Lost, k.ReadPage(63, page));
    }

    [Fact]
    public void ReadPage_ZeroDescriptorOffset_IsLost()
    {
        var b = Kdump(PageCompression.Zstd);
        Array.Clear(b, (int)DescOffset(5), 24);
        using var k = Open(b);
        Assert.Equal(PageStatus.Lost, k.ReadPage(5, new byte[4096]));
    }

    [Fact]
    public void Open_Incomplete_Warns()
    {
        var b = Kdump(PageCompression.Zlib);
        b[424] |= 0x08;
        using var k = Open(b);
        Assert.True(k.Kdump.Incomplete);
        Assert.Contains(k.Warnings, w => w.Contains("INCOMPLETE"));
    }

    [Theory]
    [InlineData(0, "disk_dump_header")]
    [InlineData(100, "disk_dump_header")]
    [InlineData(4096, "kdump_sub_header")]
    [InlineData(4150, "kdump_sub_header")]
    [InlineData(8192, "disk_dump_header.bitmap_blocks")]
    [InlineData(12000, "disk_dump_header.bitmap_blocks")]
    public void Open_TruncatedAtHeaderBoundaries_NamesField(int cut, string field)
    {
        var b = Kdump(PageCompression.Zlib);
        var ex = Assert.Throws<DumpFormatException>(() => { using var _ = Open(b.AsSpan(0, cut).ToArray()); });
        Assert.Equal(field, ex.FieldName);
    }

    [Fact]
    public void Open_BitmapsPastEndOfFile_Rejected()
    {
        var b = Kdump(PageCompression.Zlib);
        BitConverter.GetBytes(0x7FFFFFFFu).CopyTo(b, 436);
        var ex = Assert.Throws<DumpFormatException>(() => { using var _ = Open(b); });
        Assert.Equal("disk_dump_header.bitmap_blocks", ex.FieldName);
        Assert.Equal(436, ex.Offset);
    }

    [Fact]
    public void Open_ImplausibleBlockSize_Rejected()
    {
        var b = Kdump(PageCompression.Zlib);
        BitConverter.GetBytes(12345).CopyTo(b, 428);
        var ex = Assert.Throws<DumpFormatException>(() => { using var _ = Open(b); });
        Assert.Equal("disk_dump_header.block_size", ex.FieldName);
    }

    [Fact]
    public void Codecs_LzoOutputDecodesWithLiblzo2AndRejectsGarbage()
    {
        var page = new byte[4096];
        for (int i = 0; i < page.Length; i++) page[i] = (byte)(i % 7);
        using var c = PageCodecs.CreateCompressor(PageCompression.Lzo, 1);
        var buf = new byte[PageCodecs.MaxCompressedSize(4096)];
        int n = c.Compress(page, buf);
        Assert.InRange(n, 1, 4095);
        var back = new byte[4096];
        PageCodecs.Decompress(PageCompression.Lzo, buf.AsSpan(0, n), back);
        Assert.Equal(page, back);
        Assert.Throws<DumpFormatException>(() => PageCodecs.Decompress(PageCompression.Lzo, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 1, 2 }, back));
        Assert.Throws<DumpFormatException>(() => PageCodecs.Decompress(PageCompression.Zlib, new byte[] { 0x78, 0x01, 0xFF, 0xFF }, back));
        Assert.Throws<DumpFormatException>(() => PageCodecs.Decompress(PageCompression.Zstd, new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0, 0 }, back));
        Assert.Throws<DumpFormatException>(() => PageCodecs.Decompress(PageCompression.Snappy, new byte[] { 0x80, 0x20, 0xFF }, back));
    }

    [Fact]
    public void Codecs_IncompressiblePage_NotStoredCompressed()
    {
        var page = new byte[4096];
        new Random(3).NextBytes(page);
        foreach (var comp in new[] { PageCompression.Zlib, PageCompression.Lzo, PageCompression.Snappy, PageCompression.Zstd })
        {
            using var c = PageCodecs.CreateCompressor(comp, 1);
            Assert.Equal(0, c.Compress(page, new byte[PageCodecs.MaxCompressedSize(4096)]));
        }
    }
}

public sealed class ZlibEngineTests
{
    [Theory]
    [InlineData(ZlibEngine.LibDeflate)]
    [InlineData(ZlibEngine.SystemZlib)]
    [InlineData(ZlibEngine.ZlibNg)]
    public void EveryEngine_WritesZlibThatZlibDecodes(ZlibEngine engine)
    {
        var page = new byte[4096];
        for (int i = 0; i < page.Length; i++) page[i] = (byte)((i * 7) % 251 < 40 ? i : 0);
        using var c = new ZlibPageCodec(1, engine);
        Assert.Equal(engine, c.Engine);
        var buf = new byte[PageCodecs.MaxCompressedSize(4096)];
        int n = c.Compress(page, buf);
        Assert.InRange(n, 2, 4095);
        Assert.Equal(0x78, buf[0]); // RFC 1950 header
        var back = new byte[4096];
        PageCodecs.Decompress(PageCompression.Zlib, buf.AsSpan(0, n), back);
        Assert.Equal(page, back);
    }
}

public sealed class KdumpByteOrderTests
{
    /// <summary>A big-endian 4096 reads as 1 MiB little-endian: block_size alone cannot tell the order.</summary>
    [Theory]
    [InlineData(ByteOrder.Big, 4096)]
    [InlineData(ByteOrder.Little, 4096)]
    [InlineData(ByteOrder.Big, 65536)]
    [InlineData(ByteOrder.Little, 65536)]
    public void DetectByteOrder_FromHeaderVersionAndBlockSize(ByteOrder order, int blockSize)
    {
        var h = new byte[HvDumpKit.Reader.Kdump.KdumpLayout.HeaderSize];
        Endian.W32(h.AsSpan(HvDumpKit.Reader.Kdump.KdumpLayout.HeaderVersion), 6, order);
        Endian.W32(h.AsSpan(HvDumpKit.Reader.Kdump.KdumpLayout.BlockSize), (uint)blockSize, order);
        Assert.Equal(order, HvDumpKit.Reader.Kdump.KdumpHeaderReader.DetectByteOrder(h));
    }
}
