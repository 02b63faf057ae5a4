using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>Whom an output is encrypted to, and the header that wraps a fresh file key for each.</summary>
public sealed class AgeRecipientSetTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void NewHeader_EveryRecipientOpensTheSameFileKey()
    {
        var owner = AgeX25519Identity.Generate();
        var escrow = AgeX25519Identity.Generate();
        var set = new AgeRecipientSet([owner.Recipient, escrow.Recipient]);
        var bytes = set.NewHeader(out var fileKey);
        Assert.Equal(AgeLayout.FileKeySize, fileKey.Length);
        var header = AgeHeaderReader.Parse(bytes, "h");
        Assert.Equal(bytes.Length, header.Length);
        Assert.Equal("2 X25519", header.DescribeRecipients());
        Assert.Equal(fileKey, new AgeKeyring([owner]).Unwrap(header, "h"));
        Assert.Equal(fileKey, new AgeKeyring([escrow]).Unwrap(header, "h"));
        set.NewHeader(out var second);
        Assert.NotEqual(fileKey, second);
    }

    [Fact]
    public void From_StringsAndFiles_NullWhenNone()
    {
        var a = AgeX25519Identity.Generate().Recipient.ToString();
        var b = AgeX25519Identity.Generate().Recipient.ToString();
        var file = _dir.File("recipients.txt");
        File.WriteAllText(file, $"# escrow\n{b}\n");
        var set = AgeRecipientSet.From([" " + a + " "], [file])!;
        Assert.Equal([a, b], set.Recipients.Select(r => r.ToString()));
        Assert.Null(AgeRecipientSet.From(null, []));
    }

    [Fact]
    public void From_NotARecipient_ArgumentNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => AgeRecipientSet.From(["age1nope"], null));
        Assert.Contains("--encrypt-to age1nope", ex.Message);
        Assert.Throws<ArgumentException>(() => new AgeRecipientSet([]));
    }
}
