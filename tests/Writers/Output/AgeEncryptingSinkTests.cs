using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.IO;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

public sealed class AgeEncryptingSinkTests : IDisposable
{
    private readonly List<AgeEncryptingSink> _sinks = new();
    public void Dispose() { foreach (var s in _sinks) s.Dispose(); }

    private const int Chunk = AgeLayout.ChunkSize;
    private readonly AgeX25519Identity _id = AgeX25519Identity.Generate();

    /// <summary>A sink over an in-memory "file" that records every ciphertext write.</summary>
    private sealed class Target
    {
        public byte[] File = new byte[16 << 20];
        public long Length;
        public readonly List<long> Writes = new();
        public void Write(long at, ReadOnlySpan<byte> d)
        {
            d.CopyTo(File.AsSpan((int)at));
            Length = Math.Max(Length, at + d.Length);
            Writes.Add(at);
        }
        public byte[] Bytes => File.AsSpan(0, (int)Length).ToArray();
    }

    private (AgeEncryptingSink Sink, Target Target) Make(bool seekable = true, int maxPending = AgeEncryptingSink.DefaultMaxPending)
    {
        var t = new Target();
        var s = new AgeEncryptingSink(new AgeRecipientSet([_id.Recipient]), t.Write, _ => { }, seekable, maxPending: maxPending);
        _sinks.Add(s);
        return (s, t);
    }

    private byte[] Decrypt(Target t)
    {
        using var input = AgeInput.Open(new MemoryInput(t.Bytes), new AgeKeyring([_id]));
        var plain = new byte[input.Length];
        input.ReadAt(0, plain);
        return plain;
    }

    /// <summary>
    /// Each chunk offset is written exactly once (a chunk encrypted once, its nonce used once),
    /// whatever order the plaintext arrives in, and the file decrypts to what was written.
    /// </summary>
    [Fact]
    public void WriteAt_ShuffledPieces_EachChunkSealedOnce()
    {
        var plain = new byte[10 * Chunk + 777];
        new Random(1).NextBytes(plain);
        var (sink, t) = Make();
        var pieces = Enumerable.Range(0, (plain.Length + 4095) / 4096).OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (var p in pieces) sink.WriteAt(p * 4096L, plain.AsSpan(p * 4096, Math.Min(4096, plain.Length - p * 4096)));
        sink.Complete();
        Assert.Equal(plain, Decrypt(t));
        var chunkWrites = t.Writes.Skip(2).ToList(); // header and nonce first
        Assert.Equal(11, chunkWrites.Count);
        Assert.Equal(chunkWrites.Count, chunkWrites.Distinct().Count());
        Assert.Equal(sink.CiphertextLength, t.Length);
    }

    /// <summary>The kdump shape: a header region back-filled after megabytes of data, held pending meanwhile.</summary>
    [Fact]
    public void WriteAt_BackfillWhilePending_FinalBytesEncrypted()
    {
        var (sink, t) = Make();
        var data = new byte[4 * Chunk];
        new Random(2).NextBytes(data);
        sink.WriteAt(0, new byte[100]); // provisional header
        for (int i = 0; i < 40; i++) sink.WriteAt(Chunk + i * (long)data.Length, data);
        Assert.InRange(sink.PendingChunks, 1, 2);
        sink.WriteAt(0, Enumerable.Repeat((byte)0xAB, 100).ToArray()); // final header
        sink.Complete();
        var plain = Decrypt(t);
        Assert.All(plain.AsSpan(0, 100).ToArray(), b => Assert.Equal(0xAB, b));
        Assert.True(plain.AsSpan(Chunk + 39 * data.Length, data.Length).SequenceEqual(data));
    }

    /// <summary>A write into a sealed chunk throws: it is never encrypted a second time.</summary>
    [Fact]
    public void WriteAt_IntoSealedChunk_ThrowsAndNothingWritten()
    {
        var (sink, t) = Make();
        sink.WriteAt(0, new byte[2 * Chunk + 1]); // chunk 0 full, and bytes after it: sealed
        sink.Flush(durable: false); // the encrypting thread has written what was sealed
        int writes = t.Writes.Count;
        var ex = Assert.Throws<InvalidOperationException>(() => sink.WriteAt(10, new byte[1]));
        Assert.Contains("reuse its nonce", ex.Message);
        sink.Flush(durable: false);
        Assert.Equal(writes, t.Writes.Count);
    }

    /// <summary>Holes everywhere (every other page): memory stays at the bound, holes read back as zeros.</summary>
    [Fact]
    public void WriteAt_Holes_PendingBoundedAndZerosInHoles()
    {
        var (sink, t) = Make(maxPending: 4);
        var page = Enumerable.Repeat((byte)7, 4096).ToArray();
        int max = 0;
        for (int p = 0; p < 600; p += 2)
        {
            sink.WriteAt(p * 4096L, page);
            max = Math.Max(max, sink.PendingChunks);
        }
        sink.Complete();
        Assert.True(max <= 4, $"{max} chunks pending");
        var plain = Decrypt(t);
        Assert.Equal(599 * 4096, plain.Length);
        Assert.Equal(7, plain[0]);
        Assert.Equal(0, plain[4096]);
        Assert.Equal(7, plain[598 * 4096]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk)]      // the last chunk is full and carries the flag: no empty chunk after it
    [InlineData(3 * Chunk)]
    [InlineData(3 * Chunk + 1)]
    public void Complete_Lengths_DecryptExactly(int length)
    {
        var plain = new byte[length];
        new Random(length).NextBytes(plain);
        foreach (bool seekable in new[] { true, false })
        {
            var (sink, t) = Make(seekable);
            sink.WriteAt(0, plain);
            sink.Complete();
            Assert.Equal(plain, Decrypt(t));
            Assert.Equal(AgeLayout.TagSize * Math.Max(1, (length + Chunk - 1) / Chunk),
                t.Length - (t.Writes[1] + AgeLayout.PayloadNonceSize) - length);
        }
    }

    [Fact]
    public void SetLength_TrailingHole_ZerosToLength()
    {
        var (sink, t) = Make();
        sink.WriteAt(0, new byte[] { 1, 2, 3 });
        sink.SetLength(5 * Chunk);
        sink.Complete();
        var plain = Decrypt(t);
        Assert.Equal(5 * Chunk, plain.Length);
        Assert.Equal(3, plain[2]);
    }

    [Fact]
    public void Stream_SequentialWrites_OneChunkPendingInOrder()
    {
        var (sink, t) = Make(seekable: false);
        using var s = new AgePlaintextStream(sink);
        var block = new byte[1000];
        for (int i = 0; i < 700; i++) { block[0] = (byte)i; s.Write(block); Assert.True(sink.PendingChunks <= 1); }
        sink.Complete();
        var plain = Decrypt(t);
        Assert.Equal(700_000, plain.Length);
        Assert.Equal(unchecked((byte)699), plain[699_000]);
        var offsets = t.Writes.Skip(2).ToList();
        Assert.Equal(offsets.Order().ToList(), offsets);
    }

    [Fact]
    public void CanRewrite_False_KdumpWritesFinalHeaderOnce() => Assert.False(Make().Sink.CanRewrite);
}
