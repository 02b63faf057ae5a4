using System.Diagnostics;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

public sealed class AgeX25519IdentityTests
{
    // The identity and recipient of the C2SP testkit's x25519 vector (testdata/age/testkit/x25519).
    private const string TestkitIdentity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

    [Fact]
    public void Encode_TryParse_RoundTrips()
    {
        var id = AgeX25519Identity.Generate();
        Assert.True(AgeX25519Identity.TryParse(id.Encode(), out var back));
        Assert.Equal(id.Recipient.ToString(), back!.Recipient.ToString());
        Assert.StartsWith("AGE-SECRET-KEY-1", id.Encode());
        Assert.StartsWith("age1", id.Recipient.ToString());
        Assert.True(AgeX25519Recipient.TryParse(id.Recipient.ToString(), out _));
    }

    [Theory]
    [InlineData("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM1")] // checksum
    [InlineData("age-secret-key-1egtzvffv20835nwyv6270lxyvk2vknx2mmdkwyklmgr48uawx40q2p2lm0")] // identities are uppercase
    [InlineData("AGE-SECRET-KEY-1")]
    public void TryParse_Bad_False(string text) => Assert.False(AgeX25519Identity.TryParse(text, out _));

    [Fact]
    public void TryParse_UppercaseRecipient_False() =>
        Assert.False(AgeX25519Recipient.TryParse(AgeX25519Identity.Generate().Recipient.ToString().ToUpperInvariant(), out _));

    /// <summary>Our recipient for an identity is the one age-keygen -y derives (Debian's age 1.1.1).</summary>
    [SkippableFact]
    public void Recipient_EqualsAgeKeygenY()
    {
        Skip.IfNot(RealTools.Required || File.Exists("/usr/bin/age-keygen"), "age-keygen not installed (apt-get install age)");
        var psi = new ProcessStartInfo("age-keygen", "-y") { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.WriteLine(TestkitIdentity);
        p.StandardInput.Close();
        string expected = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.True(AgeX25519Identity.TryParse(TestkitIdentity, out var id));
        Assert.Equal(expected, id!.Recipient.ToString());
    }
}
