using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli.Verbs;

/// <summary>`hvdump keygen`: an age-keygen-format identity, 0600 on disk, never over an existing file.</summary>
public sealed class KeygenVerbTests : AgeKeyedTests
{
    [Fact]
    public void Keygen_File0600_RefusesOverwrite()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_key));
        Assert.StartsWith("age1", _recipient);
        Assert.Contains("AGE-SECRET-KEY-1", File.ReadAllText(_key));
        var again = CliRunner.Run("keygen", "-o", _key);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists", again.Stderr);
    }

    [Fact]
    public void Keygen_ToStdout_AgeKeygenFormatWhosePublicKeyIsTheIdentitysRecipient()
    {
        var r = CliRunner.Run("keygen");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        var lines = r.Stdout.Split('\n');
        Assert.Equal(4, lines.Length); // three lines, each ending in LF
        Assert.Equal("", lines[3]);
        Assert.Matches(@"^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lines[0]);
        Assert.StartsWith("# public key: age1", lines[1]);
        Assert.True(AgeX25519Identity.TryParse(lines[2], out var id));
        Assert.Equal(lines[1]["# public key: ".Length..], id!.Recipient.ToString());
    }

    [Fact]
    public void Keygen_File_PrintsTheRecipientOfTheIdentityItWrote()
    {
        var id = Assert.Single(AgeKeyFile.ReadIdentities(_key));
        Assert.Equal(id.Recipient.ToString(), _recipient);
    }

    [Fact]
    public void Keygen_Force_ReplacesTheKey()
    {
        var before = File.ReadAllText(_key);
        var r = CliRunner.Run("keygen", "-o", _key, "--force");
        Assert.Equal(0, r.ExitCode);
        var recipient = r.Stderr.Trim().Split(' ')[^1];
        Assert.NotEqual(_recipient, recipient);
        Assert.NotEqual(before, File.ReadAllText(_key));
        Assert.Equal(recipient, Assert.Single(AgeKeyFile.ReadIdentities(_key)).Recipient.ToString());
    }
}
