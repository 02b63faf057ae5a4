using HvDumpKit.Cli;
using HvDumpKit.Reader.Crypto.Age;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class AgeRecipientsTests
{
    [Fact]
    public void From_Nothing_Null() => Assert.Null(AgeRecipients.From(null, null, "kdump"));

    [Fact]
    public void From_Recipient_ASetOfIt()
    {
        var r = AgeX25519Identity.Generate().Recipient.ToString();
        var set = AgeRecipients.From([" " + r + " "], null, "elf");
        Assert.Equal(r, Assert.Single(set!.Recipients).ToString());
    }

    [Fact]
    public void From_BadRecipient_UsageError()
    {
        var ex = Assert.Throws<UsageException>(() => AgeRecipients.From(["age1notakey"], null, "kdump"));
        Assert.Equal("--encrypt-to age1notakey: not an age X25519 recipient (age1…)", ex.Message);
    }

    [Fact]
    public void From_RawFormat_RefusedWhenEncrypting()
    {
        var r = AgeX25519Identity.Generate().Recipient.ToString();
        Assert.Throws<NotSupportedException>(() => AgeRecipients.From([r], null, "raw"));
        Assert.Null(AgeRecipients.From(null, null, "raw"));
    }
}
