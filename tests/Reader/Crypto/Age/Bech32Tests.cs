using HvDumpKit.Reader.Crypto.Age;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>Bech32 (BIP 173) as age uses it for recipients and identities.</summary>
public sealed class Bech32Tests
{
    [Theory]
    [InlineData("a12uel5l", "a")]
    [InlineData("A12UEL5L", "a")]      // all upper is the same string
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef")]
    public void TryDecode_Bip173Valid(string s, string hrp)
    {
        Assert.True(Bech32.TryDecode(s, out var gotHrp, out _));
        Assert.Equal(hrp, gotHrp);
    }

    [Theory]
    [InlineData("a12uel5m")]   // checksum
    [InlineData("A12uEL5L")]   // mixed case
    [InlineData("1qzzfhee")]   // empty hrp
    [InlineData("a12uelb5l")]  // 'b' is not in the alphabet
    public void TryDecode_Bip173Invalid_False(string s) => Assert.False(Bech32.TryDecode(s, out _, out _));

    [Fact]
    public void Encode_TryDecode_RoundTripsAndUpper()
    {
        byte[] data = [0, 1, 2, 0xFE, 0xFF, 0x80, 0x7F];
        var s = Bech32.Encode("age", data);
        Assert.StartsWith("age1", s);
        Assert.True(Bech32.TryDecode(s, out var hrp, out var back));
        Assert.Equal("age", hrp);
        Assert.Equal(data, back);
        var upper = Bech32.Encode("age", data, upper: true);
        Assert.Equal(s.ToUpperInvariant(), upper);
    }

    [Fact]
    public void Encode_EmptyDataIsTheBip173Vector() => Assert.Equal("a12uel5l", Bech32.Encode("a", []));
}
