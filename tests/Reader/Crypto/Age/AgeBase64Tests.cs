using HvDumpKit.Reader.Crypto.Age;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>The age spec's base64: standard alphabet, no padding, canonical.</summary>
public sealed class AgeBase64Tests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "Zg")]
    [InlineData("fo", "Zm8")]
    [InlineData("foo", "Zm9v")]
    [InlineData("foob", "Zm9vYg")] // RFC 4648 §10 vectors, padding dropped
    public void Encode_RfcVectorsWithoutPadding(string plain, string encoded)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(plain);
        Assert.Equal(encoded, AgeBase64.Encode(bytes));
        Assert.True(AgeBase64.TryDecode(System.Text.Encoding.ASCII.GetBytes(encoded), out var back));
        Assert.Equal(bytes, back);
    }

    [Theory]
    [InlineData("Zg==")]  // padding
    [InlineData("Zh")]    // unused trailing bits set: not canonical
    [InlineData("Z")]     // a length no encoding has
    [InlineData("Zm9v\n")]
    [InlineData("Zm-v")]  // URL alphabet
    public void TryDecode_NotTheSpecsBase64_False(string text) =>
        Assert.False(AgeBase64.TryDecode(System.Text.Encoding.ASCII.GetBytes(text), out _));
}
