using HvDumpKit.Writers.Output;
using HvDumpKit.Writers.Output.Sinks;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output.Sinks;

public sealed class LimitedSinkTests
{
    [Fact]
    public void WriteAt_PastLimit_OutputFullWithEnospc()
    {
        using var inner = new NullSink();
        using var sink = new LimitedSink(inner, 100);
        sink.WriteAt(0, new byte[100]);
        var ex = Assert.Throws<OutputFullException>(() => sink.WriteAt(100, new byte[1]));
        Assert.True(Errno.IsOutputFull(ex));
        Assert.Equal(Errno.ENOSPC, ex.HResult);
        Assert.Equal(100, inner.BytesWritten);
    }

    [Fact]
    public void IsDurable_Forwarded()
    {
        using var sink = new LimitedSink(new NullSink(), 1);
        Assert.False(sink.IsDurable);
        Assert.Same(sink.GetType(), LimitedSink.Wrap(new NullSink(), 5).GetType());
        var plain = new NullSink();
        Assert.Same(plain, LimitedSink.Wrap(plain, null));
    }
}
