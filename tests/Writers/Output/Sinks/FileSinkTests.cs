using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Output.Sinks;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output.Sinks;

/// <summary>pwrite into a seekable file; unwritten ranges stay holes; durable.</summary>
public sealed class FileSinkTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WriteAt_PositionedWithHolesAndLengthOnlyGrows()
    {
        var path = _dir.File("out");
        using (var fs = File.Create(path))
        using (var sink = new FileSink(fs.SafeFileHandle, ownsHandle: false))
        {
            Assert.True(sink.IsDurable);
            Assert.True(sink.CanRewrite);
            sink.WriteAt(8, "late"u8);
            sink.WriteAt(0, "ab"u8);
            sink.WriteAt(1, "B"u8);       // rewrites are fine
            sink.WriteAt(100, []);        // nothing, not even the length
            Assert.Equal(7L, sink.BytesWritten);
            sink.SetLength(20);
            sink.SetLength(4);            // never shrinks
            sink.Flush(durable: true);
        }
        Assert.Equal("aB\0\0\0\0\0\0late\0\0\0\0\0\0\0\0"u8.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Dispose_OwnsHandle_Closes()
    {
        var handle = File.OpenHandle(_dir.File("o"), FileMode.Create, FileAccess.Write);
        new FileSink(handle).Dispose();
        Assert.True(handle.IsClosed);
        var kept = File.OpenHandle(_dir.File("k"), FileMode.Create, FileAccess.Write);
        new FileSink(kept, ownsHandle: false).Dispose();
        Assert.False(kept.IsClosed);
        kept.Dispose();
    }
}
