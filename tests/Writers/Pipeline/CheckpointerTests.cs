using HvDumpKit.Writers;
using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Output.Sinks;
using HvDumpKit.Writers.Pipeline;
using Xunit;

namespace HvDumpKit.Tests.Writers.Pipeline;

public sealed class CheckpointerTests
{
    /// <summary>A sink that counts durable flushes and says whether it is durable.</summary>
    private sealed class CountingSink(bool durable) : IOutputSink
    {
        public int DurableFlushes;
        public bool CanRewrite => true;
        public bool IsDurable => durable;
        public long BytesWritten => 0;
        public void WriteAt(long offset, ReadOnlySpan<byte> data) { }
        public void Flush(bool d) { if (d) DurableFlushes++; }
        public void SetLength(long length) { }
        public void Complete() { }
        public void Dispose() { }
    }

    [Fact]
    public void Due_NoListener_Never()
    {
        var cp = new Checkpointer(new CountingSink(durable: false), new WriterOptions { CheckpointPages = 16 });
        cp.Count(1000);
        Assert.False(cp.Due(1000));
    }

    [Fact]
    public void Reach_AfterCheckpointPages_SyncsThenReports()
    {
        var sink = new CountingSink(durable: true);
        var reported = new List<ulong>();
        var cp = new Checkpointer(sink, new WriterOptions { CheckpointPages = 16, OnDurable = wm => reported.Add(wm) });
        cp.Count(15);
        Assert.False(cp.Due(15));
        cp.Count();
        Assert.True(cp.Due(16));
        cp.Reach(16);
        Assert.Equal(1, sink.DurableFlushes);
        Assert.Equal([16UL], reported);
        Assert.False(cp.Due(17));
    }

    [Fact]
    public void Due_CountPassedPfns_AfterFourTimesAsManyPfns()
    {
        var cp = new Checkpointer(new CountingSink(true), new WriterOptions { CheckpointPages = 16, OnDurable = _ => { } }, countPassedPfns: true);
        cp.Count();
        Assert.False(cp.Due(63));
        Assert.True(cp.Due(64));
        var plain = new Checkpointer(new CountingSink(true), new WriterOptions { CheckpointPages = 16, OnDurable = _ => { } });
        plain.Count();
        Assert.False(plain.Due(64));
    }

    [Fact]
    public void New_ListenerOnNonDurableSink_Refused()
    {
        Assert.Throws<OutputNotDurableException>(() => new Checkpointer(new NullSink(), new WriterOptions { OnDurable = _ => { } }));
        Assert.Throws<OutputNotDurableException>(() => new Checkpointer(new NullSink(), new WriterOptions { OnExcludedFinal = _ => { } }));
    }
}
