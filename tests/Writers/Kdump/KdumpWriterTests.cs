using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Output.Sinks;
using Xunit;

namespace HvDumpKit.Tests.Writers.Kdump;

public sealed class KdumpWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>A file sink that fails like a full disk after a byte budget.</summary>
    private sealed class FailingSink(FileSink inner, long budget) : IOutputSink
    {
        private long _left = budget;
        public bool CanRewrite => true;
        public bool IsDurable => inner.IsDurable;
        public long BytesWritten => inner.BytesWritten;
        public void WriteAt(long offset, ReadOnlySpan<byte> data)
        {
            if (data.Length > _left) throw new IOException("No space left on device");
            _left -= data.Length;
            inner.WriteAt(offset, data);
        }
        public void Flush(bool durable) => inner.Flush(durable);
        public void SetLength(long length) => inner.SetLength(length);
        public void Complete() => inner.Complete();
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void KdumpWriter_CutOffMidWrite_OpensAsIncompleteWithPagesLost()
    {
        var src = SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));
        var outp = _dir.File("cut.kdump");
        using (var source = DumpProbe.Open(src))
        using (var fs = File.Create(outp))
        using (var sink = new FailingSink(new FileSink(fs.SafeFileHandle, ownsHandle: false), 4096 * 5))
        {
            Assert.Throws<IOException>(() => new KdumpWriter().Write(source, sink, new WriterOptions { Compression = PageCompression.None, Threads = 1 }));
        }
        using var k = (KdumpDumpSource)DumpProbe.Open(outp);
        Assert.True(k.Kdump.Incomplete);
        Assert.Contains(k.Warnings, w => w.Contains("INCOMPLETE"));
        var page = new byte[4096];
        Assert.Equal(PageStatus.Lost, k.ReadPage(1, page));
        Assert.Equal(PageStatus.NotInDump, k.ReadPage(40, page));
    }

    [Fact]
    public void KdumpWriter_Complete_ClearsIncomplete()
    {
        var src = SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));
        Builders.Convert.To(src, _dir.File("ok.kdump"), "kdump", PageCompression.Zlib);
        using var k = (KdumpDumpSource)DumpProbe.Open(_dir.File("ok.kdump"));
        Assert.False(k.Kdump.Incomplete);
    }

    private string Synth() => SyntheticKernel.Vmcore().WriteTo(_dir.File("synth.elf"));

    [Fact]
    public void KdumpWriter_WorkedExample_LayoutMatchesMakedumpfile()
    {
        // kdump-compressed.md §10: the same input under `makedumpfile -c -d 1`.
        var input = Synth();
        var output = _dir.File("out.kdump");
        var summary = Builders.Convert.To(input, output, "kdump", PageCompression.Zlib, level: 1);
        using var k = (KdumpDumpSource)DumpProbe.Open(output);
        var h = k.Kdump;
        Assert.Equal(6, h.HeaderVersion);
        Assert.Equal(4096, h.BlockSize);
        Assert.Equal(64UL, h.MaxMapnr);
        Assert.Equal(1, h.SubHdrSize);
        Assert.Equal(2U, h.BitmapBlocks);
        Assert.Equal(1, h.NrCpus);
        Assert.Equal(PageCompression.Zlib, h.Compression);
        Assert.False(h.Incomplete);
        Assert.Equal(1700000000L, h.TimestampSec);
        Assert.Equal(4096 + 104, h.OffsetNote);
        Assert.Equal(1, h.DumpLevel);
        Assert.Equal(16384L, h.DescriptorsOffset);
        Assert.Equal(48UL, k.DumpablePages);
        Assert.Equal("testhost", h.Nodename);      // read from init_uts_ns through the page tables
        Assert.Equal("6.1.0-test", h.Release);
        Assert.Equal("x86_64", h.Machine);
        var bytes = File.ReadAllBytes(output);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF }, bytes.AsSpan(8192, 8).ToArray());
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF }, bytes.AsSpan(12288, 8).ToArray());
        // Zero pages (0, 8, 9, 10, 11, as in the spec) share one zero page right after the descriptors.
        long p = 16384 + 48 * 24;
        Assert.Equal(p, BitConverter.ToInt64(bytes, 16384));             // pfn 0
        Assert.Equal(p, BitConverter.ToInt64(bytes, 16384 + 9 * 24));    // pfn 9
        Assert.Equal(5U, (uint)summary.ZeroPagesExcluded);
        // pfn 25 is random: stored raw (flags 0, size 4096).
        Assert.Equal(4096U, BitConverter.ToUInt32(bytes, 16384 + 25 * 24 + 8));
        Assert.Equal(0U, BitConverter.ToUInt32(bytes, 16384 + 25 * 24 + 12));
        // The VMCOREINFO offset points into the note blob at the descriptor.
        Assert.Equal(4096 + 104 + (12 + 8 + 336) + 12 + 12, h.OffsetVmcoreinfo);
    }

    [Fact]
    public void KdumpWriter_BigEndianSource_WritesTargetByteOrder()
    {
        var b = new ElfCoreBuilder { Order = ByteOrder.Big, Machine = 21 }.PrStatus(3).VmcoreInfo("OSRELEASE=6.1.0\nPAGESIZE=65536\n")
            .AddLoad(0, Enumerable.Range(0, 4 * 65536).Select(i => (byte)(i / 65536 + 1)).ToArray());
        var input = b.WriteTo(_dir.File("be.elf"));
        Builders.Convert.To(input, _dir.File("be.kdump"), "kdump", PageCompression.Zlib);
        using var k = (KdumpDumpSource)DumpProbe.Open(_dir.File("be.kdump"));
        Assert.Equal(ByteOrder.Big, k.Header.ByteOrder);
        Assert.Equal(65536, k.Header.PageSize);
        Assert.Equal("ppc64", k.Kdump.Machine);
        using var a = DumpProbe.Open(input);
        Builders.Convert.AssertSamePages(a, k);
    }
}
