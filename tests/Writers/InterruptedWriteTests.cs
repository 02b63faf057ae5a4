using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Output.Sinks;
using Xunit;

namespace HvDumpKit.Tests.Writers;

public sealed class InterruptedWriteTests : IDisposable
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
}
