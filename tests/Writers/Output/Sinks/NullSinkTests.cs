using HvDumpKit.Writers.Output.Sinks;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output.Sinks;

/// <summary>makedumpfile --dry-run's sink: counts, keeps nothing, never durable.</summary>
public sealed class NullSinkTests
{
    [Fact]
    public void WriteAt_CountsBytesFromManyThreads_NeverDurable()
    {
        using var sink = new NullSink();
        Parallel.For(0, 1000, i => sink.WriteAt(i * 10L, new byte[10]));
        sink.WriteAt(0, new byte[5]); // a rewrite counts again
        Assert.Equal(10005L, sink.BytesWritten);
        Assert.False(sink.IsDurable);
        Assert.True(sink.CanRewrite);
    }
}
