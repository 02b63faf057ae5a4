using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.IO;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

public sealed class AgeHeaderReaderTests
{
    private static byte[] Header(int recipients) =>
        AgeTestFiles.Encrypt([], [.. Enumerable.Range(0, recipients).Select(_ => AgeX25519Identity.Generate().Recipient)]);

    [Fact]
    public void Read_OwnHeader_StanzasAndLength()
    {
        var file = Header(3);
        var h = AgeHeaderReader.Read(new MemoryInput(file));
        Assert.Equal(3, h.Stanzas.Count);
        Assert.All(h.Stanzas, s => Assert.Equal("X25519", s.Type));
        Assert.Equal(file.Length - AgeLayout.PayloadNonceSize - AgeLayout.TagSize, h.Length);
        Assert.Equal("3 X25519", h.DescribeRecipients());
    }

    /// <summary>Cut anywhere inside the header, it is a DumpFormatException naming an offset in the file, never another
    /// exception.</summary>
    [Fact]
    public void Parse_TruncatedAtEveryByte_DumpFormatException()
    {
        var file = Header(2);
        long length = AgeHeaderReader.Read(new MemoryInput(file)).Length;
        for (int cut = 0; cut < length; cut++)
        {
            var ex = Assert.Throws<DumpFormatException>(() => AgeHeaderReader.Parse(file.AsSpan(0, cut), "h.age"));
            Assert.InRange(ex.Offset, 0, cut);
            Assert.StartsWith("age ", ex.FieldName);
        }
    }

    [Theory]
    [InlineData("age-encryption.org/v2\n--- AAAA\n", 0, "age version line")]
    [InlineData("age-encryption.org/v1\n-> X25519 a  b\nAAAA\n--- AAAA\n", 22, "age stanza argument")]
    [InlineData("age-encryption.org/v1\n-> X25519 abc\nAA=A\n--- AAAA\n", 22, "age stanza body")]
    [InlineData("age-encryption.org/v1\nxx\n", 22, "age stanza")]
    [InlineData("age-encryption.org/v1\n--- AAAA\n", 26, "age header MAC")]
    public void Parse_Malformed_FieldAndOffset(string text, long offset, string field)
    {
        var ex = Assert.Throws<DumpFormatException>(() => AgeHeaderReader.Parse(Encoding.ASCII.GetBytes(text), "m.age"));
        Assert.Equal(field, ex.FieldName);
        Assert.Equal(offset, ex.Offset);
        Assert.Equal("m.age", ex.FilePath);
    }
}
