using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli.Verbs;

/// <summary>`hvdump decrypt`: plaintext under OUT only once every chunk authenticated, 0600, never over a file without --force.</summary>
public sealed class DecryptVerbTests : AgeKeyedTests
{
    private static string Elf => Samples.Elf;

    [Fact]
    public void Decrypt_TamperedChunk_OneLineNamesChunkNothingUnderOut()
    {
        var enc = _dir.File("big.age");
        Assert.Equal(0, CliRunner.Run("convert", Elf, enc, "--format", "elf", "--encrypt-to", _recipient).ExitCode);
        var bytes = File.ReadAllBytes(enc);
        Assert.True(bytes.Length > 3 * AgeLayout.SealedChunkSize);
        int headerEnd = bytes.AsSpan().IndexOf("\n--- "u8) + 1 + 48; // "--- " + 43 base64 + LF
        int at = headerEnd + AgeLayout.PayloadNonceSize + AgeLayout.SealedChunkSize + 500; // inside chunk 1
        bytes[at] ^= 0x40;
        File.WriteAllBytes(enc, bytes);
        var r = CliRunner.Run("decrypt", enc, _dir.File("out"), "--identity", _key);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("age STREAM chunk 1", r.Stderr);
        Assert.Contains("plaintext offset 0x10000", r.Stderr);
        Assert.False(File.Exists(_dir.File("out")));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".*tmp"));
    }

    [Fact]
    public void Decrypt_ExistingOut_RefusedWithoutForce()
    {
        Encrypted(out var enc);
        File.WriteAllText(_dir.File("o"), "keep");
        Assert.Equal(1, CliRunner.Run("decrypt", enc, _dir.File("o"), "--identity", _key).ExitCode);
        Assert.Equal("keep", File.ReadAllText(_dir.File("o")));
        Assert.Equal(0, CliRunner.Run("decrypt", enc, _dir.File("o"), "--identity", _key, "--force").ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("o")));
    }

    [Fact]
    public void Decrypt_RoundTrip_ReportsTheBytesWrittenAndGivesTheSourceBack()
    {
        var enc = _dir.File("raw.age");
        Assert.Equal(0, CliRunner.Run("convert", Elf, _dir.File("plain"), "--format", "elf").ExitCode);
        Assert.Equal(0, CliRunner.Run("convert", Elf, enc, "--format", "elf", "--encrypt-to", _recipient).ExitCode);
        var plain = File.ReadAllBytes(_dir.File("plain"));
        var r = CliRunner.Run("decrypt", enc, _dir.File("dec"), "--identity", _key);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"hvdump: decrypted {enc} to {_dir.File("dec")} ({plain.Length} bytes)", r.Stderr.Trim());
        Assert.Equal(plain, File.ReadAllBytes(_dir.File("dec")));
    }

    [Fact]
    public void Decrypt_WithoutIdentity_UsageErrorNothingUnderOut()
    {
        Encrypted(out var enc);
        var r = CliRunner.Run("decrypt", enc, _dir.File("o"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("decrypt needs --identity FILE", r.Stderr);
        Assert.False(File.Exists(_dir.File("o")));
    }

    private void Encrypted(out string path) => path = _age.Encrypted();
}
