using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Elf;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Raw;
using Xunit;

namespace HvDumpKit.Tests.Writers;

/// <summary>A writer bound to its sink: Write goes to that sink, Sidecar is the raw writer's only, Dispose closes the sink.</summary>
public sealed class DumpOutputTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private sealed class CountingSink(MemorySink inner) : HvDumpKit.Writers.Output.IOutputSink
    {
        public int Disposed { get; private set; }
        public bool CanRewrite => inner.CanRewrite;
        public bool IsDurable => inner.IsDurable;
        public long BytesWritten => inner.BytesWritten;
        public void WriteAt(long offset, ReadOnlySpan<byte> data) => inner.WriteAt(offset, data);
        public void Flush(bool durable) => inner.Flush(durable);
        public void SetLength(long length) => inner.SetLength(length);
        public void Complete() => inner.Complete();
        public void Dispose() => Disposed++;
    }

    [Fact]
    public void Write_GoesToItsSink_RawSidecarListsThePages()
    {
        using var src = DumpProbe.Open(SyntheticKernel.Vmcore().WriteTo(_dir.File("synth.elf")));
        var sink = new MemorySink();
        using var output = new DumpOutput(new RawWriter(), sink);
        var summary = output.Write(src, new WriterOptions { Threads = 1 });
        Assert.True(sink.Completed);
        Assert.Equal(summary.BytesOut, sink.Length); // a raw image is as long as memory; holes are never written
        Assert.NotNull(output.Sidecar);
        Assert.Equal(src.PresentRanges().ToArray(), output.Sidecar!.Present.ToArray());
    }

    [Fact]
    public void Sidecar_NotRaw_Null()
    {
        Assert.Null(new DumpOutput(new ElfWriter(), new MemorySink()).Sidecar);
        Assert.Null(new DumpOutput(new KdumpWriter(), new MemorySink()).Sidecar);
    }

    [Fact]
    public void Dispose_DisposesTheSinkOnce()
    {
        var sink = new CountingSink(new MemorySink());
        new DumpOutput(new KdumpWriter(), sink).Dispose();
        Assert.Equal(1, sink.Disposed);
    }
}
