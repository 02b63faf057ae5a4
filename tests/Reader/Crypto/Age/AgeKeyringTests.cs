using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>The identities an age input is opened with, and the file key they unwrap.</summary>
public sealed class AgeKeyringTests
{
    private static (AgeHeader Header, byte[] FileKey, AgeX25519Identity Owner) Header()
    {
        var owner = AgeX25519Identity.Generate();
        var bytes = new AgeRecipientSet([owner.Recipient]).NewHeader(out var key);
        return (AgeHeaderReader.Parse(bytes, "f.age"), key, owner);
    }

    [Fact]
    public void Unwrap_SecondIdentityMatches_FileKey()
    {
        var (h, key, owner) = Header();
        Assert.Equal(key, new AgeKeyring([AgeX25519Identity.Generate(), owner]).Unwrap(h, "f.age"));
    }

    [Fact]
    public void Unwrap_NoneMatches_AgeIdentityExceptionNamingTheFile()
    {
        var (h, _, _) = Header();
        var ex = Assert.Throws<AgeIdentityException>(() => new AgeKeyring([AgeX25519Identity.Generate()]).Unwrap(h, "f.age"));
        Assert.Equal("no identity matches any recipient of f.age", ex.Message);
    }

    [Fact]
    public void Unwrap_HeaderAltered_MacDoesNotVerify()
    {
        var owner = AgeX25519Identity.Generate();
        var key = new byte[16];
        var stanza = owner.Recipient.Wrap(key);
        var good = AgeHeader.Encode([stanza], key);
        var forged = AgeHeader.Encode([stanza], new byte[16].Select((_, i) => (byte)i).ToArray()); // MAC under another key
        Assert.Equal(key, new AgeKeyring([owner]).Unwrap(AgeHeaderReader.Parse(good, "g"), "g"));
        var ex = Assert.Throws<DumpFormatException>(() => new AgeKeyring([owner]).Unwrap(AgeHeaderReader.Parse(forged, "f"), "f"));
        Assert.Contains("does not verify", ex.Message);
    }

    [Fact]
    public void Use_ScopesTheCurrentKeyring()
    {
        var keys = new AgeKeyring([AgeX25519Identity.Generate()]);
        Assert.Null(AgeKeyring.Current);
        using (AgeKeyring.Use(keys)) Assert.Same(keys, AgeKeyring.Current);
        Assert.Null(AgeKeyring.Current);
    }
}
