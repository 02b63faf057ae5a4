using System.Text;
using HvDumpKit.Reader.Crypto.Age;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>The primitives age is built from, against their RFCs' test vectors.</summary>
public sealed class AgeCryptoTests
{
    private static byte[] Hex(string s) => Convert.FromHexString(s);

    [Fact]
    public void Hkdf_Rfc5869Case3_EmptySaltAndInfo()
    {
        var okm = AgeCrypto.Hkdf(Enumerable.Repeat((byte)0x0b, 22).ToArray(), [], "", 42);
        Assert.Equal("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8", Convert.ToHexStringLower(okm));
    }

    [Fact]
    public void Hkdf_AsciiInfoAndSalt_AgreeWithTheFrameworksHkdfAndDefaultTo32Bytes()
    {
        byte[] ikm = [.. Enumerable.Range(0, 16).Select(i => (byte)i)], salt = [.. Enumerable.Range(100, 16).Select(i => (byte)i)];
        var ours = AgeCrypto.Hkdf(ikm, salt, "payload");
        Assert.Equal(32, ours.Length);
        var expected = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, ikm, 32, salt,
            Encoding.ASCII.GetBytes("payload"));
        Assert.Equal(expected, ours);
        Assert.NotEqual(ours, AgeCrypto.Hkdf(ikm, salt, "header"));
    }

    [Fact]
    public void HmacSha256_Rfc4231Case2()
    {
        var mac = AgeCrypto.HmacSha256("Jefe"u8, "what do ya want for nothing?"u8);
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void X25519_Rfc7748Section52Vector()
    {
        var shared = new byte[32];
        Assert.True(AgeCrypto.X25519(Hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
            Hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"), shared));
        Assert.Equal("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", Convert.ToHexStringLower(shared));
    }

    [Fact]
    public void X25519Base_Rfc7748Section61_BothSidesReachTheSameSecret()
    {
        var alice = Hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bob = Hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        var alicePub = AgeCrypto.X25519Base(alice);
        var bobPub = AgeCrypto.X25519Base(bob);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alicePub));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bobPub));
        byte[] k1 = new byte[32], k2 = new byte[32];
        Assert.True(AgeCrypto.X25519(alice, bobPub, k1));
        Assert.True(AgeCrypto.X25519(bob, alicePub, k2));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Convert.ToHexStringLower(k1));
        Assert.Equal(k1, k2);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    public void X25519_LowOrderPoint_FalseAndAllZero(string point)
    {
        var shared = Enumerable.Repeat((byte)0xAA, 32).ToArray();
        Assert.False(AgeCrypto.X25519(Hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), Hex(point), shared));
        Assert.Equal(new byte[32], shared);
    }

    [Fact]
    public void Aead_SealThenOpen_RoundTripsAndATamperedTagDoesNotOpen()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray();
        var nonce = new byte[12];
        nonce[11] = 1;
        var plain = Encoding.ASCII.GetBytes("a chunk of the dump");
        var aead = new AgeCrypto.Aead(key);
        var sealedData = new byte[plain.Length + 16];
        aead.Seal(nonce, plain, sealedData);
        Assert.NotEqual(plain, sealedData[..plain.Length]);
        var opened = new byte[plain.Length];
        Assert.True(aead.Open(nonce, sealedData, opened));
        Assert.Equal(plain, opened);
        // Another instance with the same key opens it too: the output depends on the key, not on the object's history.
        Assert.True(new AgeCrypto.Aead(key).Open(nonce, sealedData, opened));
        sealedData[^1] ^= 1;
        Assert.False(aead.Open(nonce, sealedData, opened));
        sealedData[^1] ^= 1;
        nonce[11] = 2;
        Assert.False(aead.Open(nonce, sealedData, opened));
    }
}
