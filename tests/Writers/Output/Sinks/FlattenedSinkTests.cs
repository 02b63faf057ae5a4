using System.IO.Pipes;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Output.Sinks;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output.Sinks;

public sealed class FlattenedSinkTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void IsDurable_ToPipe_False()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var sink = new FlattenedSink(pipe, ownsStream: false);
        Assert.False(sink.IsDurable);
    }

    [Fact]
    public void IsDurable_ToRegularFile_True()
    {
        using var fs = File.Create(_dir.File("out.flat"));
        using var sink = new FlattenedSink(fs, ownsStream: false, fs.SafeFileHandle);
        Assert.True(sink.IsDurable);
        sink.Flush(durable: true);
    }

    /// <summary>The release protocol's guard: no memory goes back against bytes nothing can make durable.</summary>
    [Fact]
    public void Write_ReleasingToPipe_RefusedBeforeAnyRelease()
    {
        var src = SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));
        using var source = DumpProbe.Open(src);
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var dump = DumpWriters.Create(OutputFormat.Flattened, OutputTarget.ToStream(pipe, ownsStream: false));
        int released = 0;
        var options = new WriterOptions { Threads = 1, OnDurable = _ => released++, OnExcludedFinal = _ => released++ };
        var ex = Assert.Throws<OutputNotDurableException>(() => dump.Write(source, options));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(0, released);
        Assert.Equal(0, dump.Sink.BytesWritten - 4096); // the start header only: not a page went out
    }
}
