using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

/// <summary>Errno and the output exceptions decisions are made on (never on message text).</summary>
public sealed class ErrnoTests
{
    [Theory]
    [InlineData(28, true)]   // ENOSPC
    [InlineData(122, true)]  // EDQUOT
    [InlineData(13, false)]  // EACCES
    public void IsOutputFull_ByErrno(int errno, bool full) => Assert.Equal(full, Errno.IsOutputFull(new IOException("x", errno)));

    [Fact]
    public void OutputFullException_IsFullWithEnospc()
    {
        var ex = new OutputFullException("limit reached");
        Assert.Equal(Errno.ENOSPC, ex.HResult);
        Assert.True(Errno.IsOutputFull(ex));
        Assert.False(Errno.IsOutputFull(new OutputNotDurableException("a pipe")));
    }

    [Fact]
    public void IsOutputFull_OtherIOException_False() => Assert.False(Errno.IsOutputFull(new IOException("x", 5)));
}
