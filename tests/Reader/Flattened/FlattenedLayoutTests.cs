using System.Text;
using HvDumpKit.Reader.Flattened;
using Xunit;

namespace HvDumpKit.Tests.Reader.Flattened;

/// <summary>The flattened header's signature field: "makedumpfile" NUL-terminated in its 16 bytes.</summary>
public sealed class FlattenedLayoutTests
{
    private static byte[] Field(string text, int length = 16)
    {
        var b = new byte[length];
        Encoding.ASCII.GetBytes(text).AsSpan(0, Math.Min(text.Length, length)).CopyTo(b);
        return b;
    }

    [Fact]
    public void HasSignature_MakedumpfileThenNul() => Assert.True(FlattenedLayout.HasSignature(Field("makedumpfile")));

    [Theory]
    [InlineData("makedumpfilex")]   // no NUL after the name
    [InlineData("makedumpfil")]
    [InlineData("KDUMP   ")]
    public void HasSignature_OtherText_False(string text) => Assert.False(FlattenedLayout.HasSignature(Field(text)));

    [Fact]
    public void HasSignature_ShorterThanTheField_False() => Assert.False(FlattenedLayout.HasSignature(Field("makedumpfile", 15)));
}
