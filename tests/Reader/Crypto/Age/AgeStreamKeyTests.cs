using HvDumpKit.Reader.Crypto.Age;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>The STREAM payload key: ChaCha20-Poly1305 per chunk, nonce = 11-byte counter ‖ last flag.</summary>
public sealed class AgeStreamKeyTests
{
    private static readonly byte[] FileKey = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] Nonce = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();

    private static byte[] Sealed(long index, bool last, byte[] plain)
    {
        var output = new byte[plain.Length + AgeLayout.TagSize];
        new AgeStreamKey(FileKey, Nonce).Seal(index, last, plain, output);
        return output;
    }

    [Fact]
    public void Seal_Open_RoundTripsWithTheSameIndexAndFlag()
    {
        var plain = "chunk zero of a dump"u8.ToArray();
        var s = Sealed(0, false, plain);
        var back = new byte[plain.Length];
        Assert.True(new AgeStreamKey(FileKey, Nonce).Open(0, false, s, back));
        Assert.Equal(plain, back);
        Assert.NotEqual(plain, s.AsSpan(0, plain.Length).ToArray());
    }

    [Theory]
    [InlineData(1, false)]  // another chunk's nonce
    [InlineData(0, true)]   // claimed to be the last chunk
    public void Open_OtherIndexOrFlag_False(long index, bool last)
    {
        var s = Sealed(0, false, new byte[64]);
        Assert.False(new AgeStreamKey(FileKey, Nonce).Open(index, last, s, new byte[64]));
    }

    [Fact]
    public void Open_FlippedBitOrOtherPayloadNonce_False()
    {
        var s = Sealed(7, true, new byte[64]);
        s[3] ^= 1;
        Assert.False(new AgeStreamKey(FileKey, Nonce).Open(7, true, s, new byte[64]));
        s[3] ^= 1;
        Assert.True(new AgeStreamKey(FileKey, Nonce).Open(7, true, s, new byte[64]));
        Assert.False(new AgeStreamKey(FileKey, new byte[16]).Open(7, true, s, new byte[64]));
    }

    [Fact]
    public void Seal_IndexOutsideElevenBytes_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sealed(1L << 56, false, new byte[1]));
}
