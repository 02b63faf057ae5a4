using System.Text;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

public sealed class AgeOutputTests
{
    private static readonly AgeX25519Identity Id = AgeX25519Identity.Generate();
    private static AgeRecipientSet Recipients => AgeRecipientSet.From([Id.Recipient.ToString()], null)!;

    [Fact]
    public void Suffix_AgeOnlyWhenEncrypting()
    {
        Assert.Equal(".age", AgeOutput.Suffix(Recipients));
        Assert.Equal("", AgeOutput.Suffix(null));
    }

    [Theory]
    [InlineData("kdump")]
    [InlineData("elf")]
    [InlineData("flat")]
    public void CheckFormat_EncryptableFormats_Accepted(string format) => AgeOutput.CheckFormat(Recipients, format);

    [Fact]
    public void CheckFormat_RawRefusedOnlyWithRecipients()
    {
        var ex = Assert.Throws<NotSupportedException>(() => AgeOutput.CheckFormat(Recipients, "raw"));
        Assert.Contains("sidecar would hold the dump's notes in plaintext", ex.Message);
        AgeOutput.CheckFormat(null, "raw");
    }

    [Fact]
    public void WriteAll_NoRecipients_ThePlainBytes()
    {
        var s = new MemoryStream();
        AgeOutput.WriteAll(null, s, "dmesg\n"u8);
        Assert.Equal("dmesg\n"u8.ToArray(), s.ToArray());
    }

    [Fact]
    public void WriteAll_Recipients_AnAgeFileTheIdentityDecrypts()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("[    0.001000] line\n", 5000))); // > one 64 KiB chunk
        var s = new MemoryStream();
        AgeOutput.WriteAll(Recipients, s, text);
        var bytes = s.ToArray();
        Assert.Equal(AgeLayout.VersionLine, Encoding.ASCII.GetString(bytes, 0, AgeLayout.VersionLine.Length));
        using var input = AgePlaintext.Open(bytes, Id);
        Assert.Equal(text.Length, input.Length);
        Assert.Equal(text, AgePlaintext.ReadToEnd(input));
    }
}
