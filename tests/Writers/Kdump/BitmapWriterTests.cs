using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Kdump;
using Xunit;

namespace HvDumpKit.Tests.Writers.Kdump;

/// <summary>PFN bitmaps, bit p&amp;7 of byte p&gt;&gt;3, LSB first (kdump-compressed.md §5).</summary>
public sealed class BitmapWriterTests
{
    [Fact]
    public void Write_Ranges_BitsLsbFirstCutAtMaxPfn()
    {
        var sink = new MemorySink();
        BitmapWriter.Write(sink, 100, [new PfnRange(0, 3), new PfnRange(9, 20), new PfnRange(24, 40)], maxPfn: 25, length: 4);
        Assert.Equal([(100L, 4)], sink.Writes);
        Assert.Equal(new byte[] { 0x07, 0xFE, 0x0F, 0x01 }, sink.Bytes.AsSpan(100).ToArray());
    }

    [Fact]
    public void Write_NoRanges_ExplicitZerosToTheLength()
    {
        var sink = new MemorySink();
        BitmapWriter.Write(sink, 0, [], maxPfn: 1000, length: 125);
        Assert.Equal([(0L, 125)], sink.Writes);
        Assert.All(sink.Bytes, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Write_LongerThanAChunk_EveryByteOnceInOrder()
    {
        const long length = (1 << 20) * 2L + 10;
        ulong chunkBits = 8UL << 20;
        var sink = new MemorySink();
        BitmapWriter.Write(sink, 4096, [new PfnRange(5, 6), new PfnRange(chunkBits - 1, chunkBits + 9), new PfnRange(2 * chunkBits + 79, 2 * chunkBits + 80)],
            maxPfn: ulong.MaxValue, length: length);
        Assert.Equal([(4096L, 1 << 20), (4096L + (1 << 20), 1 << 20), (4096L + (2 << 20), 10)], sink.Writes);
        var b = sink.Bytes.AsSpan(4096).ToArray();
        Assert.Equal(0x20, b[0]);
        Assert.Equal(0x80, b[(1 << 20) - 1]);   // the range runs across the chunk boundary
        Assert.Equal(0xFF, b[1 << 20]);
        Assert.Equal(0x01, b[(1 << 20) + 1]);
        Assert.Equal(0x80, b[(2 << 20) + 9]);
        Assert.Equal(5, b.Count(x => x != 0));
    }
}
