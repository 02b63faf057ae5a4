using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Flattened;
using HvDumpKit.Reader.IO;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

/// <summary>A flattened stream inside age: decrypting gives the stream makedumpfile -R reads, and completing one completes both.</summary>
public sealed class AgeFlattenedSinkTests
{
    private readonly AgeX25519Identity _id = AgeX25519Identity.Generate();

    private (AgeFlattenedSink Sink, MemoryStream Ciphertext) Make()
    {
        var ciphertext = new MemoryStream();
        var age = AgeEncryptingSink.ForStream(new AgeRecipientSet([_id.Recipient]), ciphertext);
        return (new AgeFlattenedSink(age), ciphertext);
    }

    private AgeInput Decrypt(MemoryStream ciphertext, bool allowTruncated = false) =>
        AgeInput.Open(new MemoryInput(ciphertext.ToArray()), new AgeKeyring([_id]), allowTruncated);

    private static byte[] Read(IRandomAccessInput input, long at, int length)
    {
        var b = new byte[length];
        Assert.Equal(length, input.ReadAt(at, b));
        return b;
    }

    [Fact]
    public void Complete_OutOfOrderWrites_PlaintextIsAFlattenedStreamOfThem()
    {
        var (sink, ct) = Make();
        byte[] tail = [9, 8, 7], head = [1, 2, 3, 4];
        sink.WriteAt(8192, tail);
        sink.WriteAt(0, head); // a back-filled header, as the kdump writer's: a record of its own, never a rewrite
        sink.Complete();
        using var plain = Decrypt(ct);
        Assert.False(plain.IsTruncated);
        using var flat = FlattenedInput.Open(plain);
        Assert.True(flat.Complete);
        Assert.Equal(2, flat.RecordCount);
        Assert.Equal(8195, flat.Length);
        Assert.Equal(head, Read(flat, 0, 4));
        Assert.Equal(tail, Read(flat, 8192, 3));
        Assert.Equal(plain.Length, sink.BytesWritten); // the flattened stream's bytes, record headers and end marker included
    }

    /// <summary>Until Complete, the age file has no last chunk: a reader sees it as cut short, not as a whole stream.</summary>
    [Fact]
    public void Flush_BeforeComplete_AgeFileNotFinal()
    {
        var (sink, ct) = Make();
        sink.WriteAt(0, new byte[100_000]);
        sink.Flush(durable: false);
        Assert.True(ct.Length > 0);
        Assert.Throws<HvDumpKit.Reader.DumpFormatException>(() => Decrypt(ct));
        sink.Complete();
        using var plain = Decrypt(ct);
        Assert.False(plain.IsTruncated);
    }

    [Fact]
    public void CanRewrite_False_AndNotDurableOverAStream()
    {
        var (sink, _) = Make();
        Assert.False(sink.CanRewrite);
        Assert.False(sink.IsDurable);
    }

    [Fact]
    public void Dispose_OwnedStream_Disposed()
    {
        var ct = new MemoryStream();
        var sink = new AgeFlattenedSink(AgeEncryptingSink.ForStream(new AgeRecipientSet([_id.Recipient]), ct), owned: ct);
        sink.Complete();
        sink.Dispose();
        Assert.False(ct.CanWrite);
    }

    [Fact]
    public void Dispose_NotOwned_StreamLeftOpen()
    {
        var (sink, ct) = Make();
        sink.Complete();
        sink.Dispose();
        Assert.True(ct.CanWrite);
    }
}
