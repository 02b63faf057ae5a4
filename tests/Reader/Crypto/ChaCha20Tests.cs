using HvDumpKit.Reader.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto;

public sealed class ChaCha20Tests
{
    public static IEnumerable<object[]> Widths() =>
        new[] { 1, 4, 8 }.Where(w => w <= ChaCha20.Widest).Select(w => new object[] { w });

    // Lengths around every path's edges: one block, four, eight, and tails of each.
    private static readonly int[] Lengths = [0, 1, 15, 63, 64, 65, 255, 256, 257, 511, 512, 513, 767, 1024, 4096 + 17, 65536];

    /// <summary>RFC 8439 §2.3.2: the block function's test vector (key 00..1f, counter 1).</summary>
    [Fact]
    public void Block_IsRfc8439s()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] nonce = [0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0];
        var block = new byte[64];
        ChaCha20.Xor(key, nonce, 1, new byte[64], block);
        Assert.Equal(Convert.FromHexString(
            "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
            "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"), block);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryPath_EqualsBouncyCastlesRfc7539Engine(int widest)
    {
        var rng = new Random(8439 + widest);
        foreach (int length in Lengths)
        {
            var key = new byte[32]; var nonce = new byte[12]; var input = new byte[length];
            rng.NextBytes(key); rng.NextBytes(nonce); rng.NextBytes(input);
            uint counter = (uint)rng.Next(0, 1000);
            var ours = new byte[length];
            ChaCha20.Xor(key, nonce, counter, input, ours, widest);
            Assert.Equal(Reference(key, nonce, counter, input), ours);
        }
    }

    [Fact]
    public void InPlace_IsTheSameAsIntoAnotherBuffer()
    {
        var key = new byte[32]; var nonce = new byte[12]; var data = new byte[1000];
        new Random(7).NextBytes(data);
        var copy = new byte[1000];
        ChaCha20.Xor(key, nonce, 5, data, copy);
        ChaCha20.Xor(key, nonce, 5, data, data);
        Assert.Equal(copy, data);
    }

    [Fact]
    public void ACounterThatWouldWrap_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => ChaCha20.Xor(new byte[32], new byte[12], uint.MaxValue, new byte[65], new byte[65]));
        Assert.Contains("wrap", e.Message);
    }

    /// <summary>BouncyCastle's ChaCha7539Engine starts at block 0; skip to the counter by enciphering zeros.</summary>
    private static byte[] Reference(byte[] key, byte[] nonce, uint counter, byte[] input)
    {
        var engine = new ChaCha7539Engine();
        engine.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        var skip = new byte[64 * (int)counter];
        engine.ProcessBytes(skip, 0, skip.Length, skip, 0);
        var output = new byte[input.Length];
        engine.ProcessBytes(input, 0, input.Length, output, 0);
        return output;
    }
}
