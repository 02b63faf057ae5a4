using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

/// <summary>Where an output goes, as whoever opened it knows it: a regular file or a stream.</summary>
public sealed class OutputTargetTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ToFile_TheFileCallerKeepsOwning()
    {
        using var fs = File.Create(_dir.File("o"));
        var t = OutputTarget.ToFile(fs);
        Assert.Same(fs, t.File);
        Assert.Same(fs, t.Stream);
        Assert.False(t.OwnsStream);
        Assert.Null(t.Recipients);
    }

    [Fact]
    public void ToStream_NoFile()
    {
        var ms = new MemoryStream();
        var t = OutputTarget.ToStream(ms, ownsStream: true);
        Assert.Null(t.File);
        Assert.Same(ms, t.Stream);
        Assert.True(t.OwnsStream);
    }

    [Fact]
    public void EncryptedTo_SameOutputWithRecipients_NullUnchanged()
    {
        using var fs = File.Create(_dir.File("o"));
        var t = OutputTarget.ToFile(fs);
        Assert.Same(t, t.EncryptedTo(null));
        var set = new AgeRecipientSet([AgeX25519Identity.Generate().Recipient]);
        var e = t.EncryptedTo(set);
        Assert.Same(set, e.Recipients);
        Assert.Same(fs, e.File);
        Assert.Null(t.Recipients);
    }
}
