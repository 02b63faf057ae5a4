using HvDumpKit.Reader.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto;

public sealed class Poly1305Tests
{
    /// <summary>RFC 8439 §2.5.2.</summary>
    [Fact]
    public void Tag_IsRfc8439s()
    {
        var key = Convert.FromHexString("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        var mac = new Poly1305(key);
        mac.Update("Cryptographic Forum Research Group"u8);
        var tag = new byte[16];
        mac.Final(tag);
        Assert.Equal(Convert.FromHexString("a8061dc1305136c6c22b8baf0c0127a9"), tag);
    }

    [Fact]
    public void AnySplitOfTheMessage_EqualsBouncyCastlesPoly1305()
    {
        var rng = new Random(1305);
        foreach (int length in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, 65536 + 3 })
        {
            var key = new byte[32]; var msg = new byte[length];
            rng.NextBytes(key); rng.NextBytes(msg);
            var bc = new Org.BouncyCastle.Crypto.Macs.Poly1305();
            bc.Init(new KeyParameter(key));
            bc.BlockUpdate(msg, 0, msg.Length);
            var expected = new byte[16];
            bc.DoFinal(expected, 0);

            var mac = new Poly1305(key);
            for (int at = 0; at < length;)
            {
                int n = Math.Min(length - at, rng.Next(0, 40));
                mac.Update(msg.AsSpan(at, n));
                at += n;
            }
            var tag = new byte[16];
            mac.Final(tag);
            Assert.Equal(expected, tag);
        }
    }

    /// <summary>Accumulators near p = 2^130 - 5 exercise the final reduction: all-ones keys and messages.</summary>
    [Fact]
    public void AllOnes_EqualsBouncyCastle()
    {
        var key = Enumerable.Repeat((byte)0xff, 32).ToArray();
        var msg = Enumerable.Repeat((byte)0xff, 16 * 37).ToArray();
        var bc = new Org.BouncyCastle.Crypto.Macs.Poly1305();
        bc.Init(new KeyParameter(key));
        bc.BlockUpdate(msg, 0, msg.Length);
        var expected = new byte[16];
        bc.DoFinal(expected, 0);
        var mac = new Poly1305(key);
        mac.Update(msg);
        var tag = new byte[16];
        mac.Final(tag);
        Assert.Equal(expected, tag);
    }
}
