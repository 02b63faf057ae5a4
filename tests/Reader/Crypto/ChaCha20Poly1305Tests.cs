using HvDumpKit.Reader.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;
using Bc = Org.BouncyCastle.Crypto.Modes;

namespace HvDumpKit.Tests.Reader.Crypto;

public sealed class ChaCha20Poly1305Tests
{
    /// <summary>RFC 8439 §2.8.2: the AEAD test vector, with its 12 bytes of additional data.</summary>
    [Fact]
    public void Seal_IsRfc8439s()
    {
        var key = Convert.FromHexString("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        var nonce = Convert.FromHexString("070000004041424344454647");
        var aad = Convert.FromHexString("50515253c0c1c2c3c4c5c6c7");
        var plaintext = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."u8.ToArray();
        var sealedData = new byte[plaintext.Length + 16];
        new ChaCha20Poly1305(key).Seal(nonce, plaintext, sealedData, aad);
        Assert.Equal(Convert.FromHexString("1ae10b594f09e26a7e902ecbd0600691"), sealedData[^16..]);
        Assert.Equal(Convert.FromHexString("d31a8d34648e60db7b86afbc53ef7ec2"), sealedData[..16]);
        var opened = new byte[plaintext.Length];
        Assert.True(new ChaCha20Poly1305(key).Open(nonce, sealedData, opened, aad));
        Assert.Equal(plaintext, opened);
    }

    [Fact]
    public void Seal_EqualsBouncyCastles_AndOpensBack()
    {
        var rng = new Random(2028);
        foreach (int length in new[] { 0, 1, 16, 63, 64, 65, 511, 512, 513, 65536 })
        {
            var key = new byte[32]; var nonce = new byte[12]; var plaintext = new byte[length];
            rng.NextBytes(key); rng.NextBytes(nonce); rng.NextBytes(plaintext);
            var ours = new byte[length + 16];
            new ChaCha20Poly1305(key).Seal(nonce, plaintext, ours);

            var bc = new Bc.ChaCha20Poly1305();
            bc.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce));
            var expected = new byte[length + 16];
            int n = bc.ProcessBytes(plaintext, 0, length, expected, 0);
            bc.DoFinal(expected, n);
            Assert.Equal(expected, ours);

            var back = new byte[length];
            Assert.True(new ChaCha20Poly1305(key).Open(nonce, ours, back));
            Assert.Equal(plaintext, back);
        }
    }

    [Fact]
    public void AnyFlippedBit_FailsToOpen_AndLeavesNoPlaintext()
    {
        var key = new byte[32]; var nonce = new byte[12]; var plaintext = new byte[100];
        new Random(3).NextBytes(plaintext);
        var cipher = new ChaCha20Poly1305(key);
        var sealedData = new byte[116];
        cipher.Seal(nonce, plaintext, sealedData);
        foreach (int at in new[] { 0, 50, 99, 100, 115 })
        {
            var bad = (byte[])sealedData.Clone();
            bad[at] ^= 0x10;
            var output = Enumerable.Repeat((byte)0xaa, 100).ToArray();
            Assert.False(cipher.Open(nonce, bad, output));
            Assert.All(output, b => Assert.Equal(0, b));
        }
        Assert.False(cipher.Open(nonce, new byte[15], new byte[0]));
    }
}
