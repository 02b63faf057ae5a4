using HvDumpKit.Reader.Crypto.Age;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>age1… recipients: the public key, and the X25519 stanza that wraps a file key for it.</summary>
public sealed class AgeX25519RecipientTests
{
    [Fact]
    public void FromPublicKey_ToString_TryParse_RoundTrips()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var r = AgeX25519Recipient.FromPublicKey(key);
        key[0] = 99; // copied, not kept
        Assert.Equal(1, r.PublicKey[0]);
        Assert.StartsWith("age1", r.ToString());
        Assert.Equal(62, r.ToString().Length); // "age" + "1" + 52 data + 6 checksum characters
        Assert.True(AgeX25519Recipient.TryParse(r.ToString(), out var back));
        Assert.Equal(r.PublicKey, back!.PublicKey);
        Assert.Throws<ArgumentException>(() => AgeX25519Recipient.FromPublicKey(new byte[31]));
    }

    [Fact]
    public void Wrap_OneShareArgumentAndSealedFileKey_OpenedByTheIdentity()
    {
        var id = AgeX25519Identity.Generate();
        var fileKey = Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i)).ToArray();
        var s = id.Recipient.Wrap(fileKey);
        Assert.Equal("X25519", s.Type);
        Assert.Equal(43, Assert.Single(s.Args).Length); // a 32-byte share in unpadded base64
        Assert.Equal(32, s.Body.Length);                  // file key and Poly1305 tag
        Assert.Equal(fileKey, id.Unwrap(s, "f"));
        Assert.Null(AgeX25519Identity.Generate().Unwrap(s, "f"));
        Assert.NotEqual(s.Args[0], id.Recipient.Wrap(fileKey).Args[0]); // a fresh ephemeral share each time
    }

    [Fact]
    public void Wrap_LowOrderKey_Refused() =>
        Assert.Throws<ArgumentException>(() => AgeX25519Recipient.FromPublicKey(new byte[32]).Wrap(new byte[16]));
}
