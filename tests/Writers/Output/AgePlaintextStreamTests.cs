using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

public sealed class AgePlaintextStreamTests
{
    [Fact]
    public void SequentialWrites_OneAgeFileOfTheirConcatenation()
    {
        var id = AgeX25519Identity.Generate();
        var ciphertext = new MemoryStream();
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray(); // a bit over three chunks
        using (var sink = AgeEncryptingSink.ForStream(AgeRecipientSet.From([id.Recipient.ToString()], null)!, ciphertext))
        {
            var s = new AgePlaintextStream(sink);
            Assert.True(s.CanWrite);
            Assert.False(s.CanRead);
            Assert.False(s.CanSeek);
            s.Write(data, 0, 100);
            s.Write(data.AsSpan(100, 70_000));
            s.Write(data, 70_100, data.Length - 70_100);
            Assert.Equal(data.Length, s.Length);
            Assert.Equal(data.Length, s.Position);
            s.Flush();
            sink.Complete();
        }
        using var input = AgePlaintext.Open(ciphertext.ToArray(), id);
        Assert.Equal(data.Length, input.Length);
        Assert.Equal(data, AgePlaintext.ReadToEnd(input));
    }

    [Fact]
    public void ReadSeekSetLengthPosition_NotSupported()
    {
        var id = AgeX25519Identity.Generate();
        using var sink = AgeEncryptingSink.ForStream(AgeRecipientSet.From([id.Recipient.ToString()], null)!, new MemoryStream());
        var s = new AgePlaintextStream(sink);
        Assert.Throws<NotSupportedException>(() => s.Read(new byte[1], 0, 1));
        Assert.Throws<NotSupportedException>(() => s.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => s.SetLength(1));
        Assert.Throws<NotSupportedException>(() => s.Position = 1);
    }
}
