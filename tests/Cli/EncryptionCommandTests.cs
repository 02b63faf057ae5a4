using System.Diagnostics;
using System.Text.Json;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Cli;

/// <summary>
/// --encrypt-to and --identity through the hvdump command line, and interop with
/// Debian's age 1.1.1 in both directions (skipped when age is not installed, unless HVDUMP_E2E=1).
/// The decrypt and keygen verbs have their own classes (Cli/Verbs/DecryptVerbTests, KeygenVerbTests).
/// </summary>
public sealed class EncryptionCommandTests : AgeKeyedTests
{
    private static string Elf => Samples.Elf;
    private static string Kdump => Samples.Kdump;
    private static string Golden => Repo.TestData("elf", "synth-x86_64.manifest.json");

    private static void NeedAge() =>
        Skip.IfNot(RealTools.Required || File.Exists("/usr/bin/age"), "age not installed (apt-get install age)");

    private static RealTools.Result Age(params string[] args) => RealTools.Run("age", args);

    [Theory]
    [InlineData("kdump", "zlib")]
    [InlineData("elf", null)]
    [InlineData("flat", "lzo")]
    public void Convert_EncryptTo_DecryptsToTheUnencryptedConversion(string format, string? codec)
    {
        string[] common = [.. (codec is null ? Array.Empty<string>() : ["--compress", codec]), "--format", format];
        Assert.Equal(0, CliRunner.Run(["convert", Elf, _dir.File("plain"), .. common]).ExitCode);
        var r = CliRunner.Run(["convert", Elf, _dir.File("enc.age"), .. common, "--encrypt-to", _recipient]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("enc.age")));
        Assert.Equal(0, CliRunner.Run("decrypt", _dir.File("enc.age"), _dir.File("dec"), "--identity", _key).ExitCode);
        Assert.Equal(File.ReadAllBytes(_dir.File("plain")), File.ReadAllBytes(_dir.File("dec")));
        // Every verb reads it directly: the age input sits beneath the format.
        var v = CliRunner.Run("verify", _dir.File("enc.age"), "--identity", _key, "--golden", Golden);
        Assert.True(v.ExitCode == 0, v.Stdout + v.Stderr);
    }

    [SkippableFact]
    public void Convert_EncryptTo_AgeDecryptGivesTheSameBytes()
    {
        NeedAge();
        Assert.Equal(0, CliRunner.Run("convert", Elf, _dir.File("plain.kdump"), "--compress", "zstd").ExitCode);
        var r = CliRunner.Run("convert", Elf, _dir.File("enc.kdump.age"), "--compress", "zstd", "--encrypt-to", _recipient,
            "--encrypt-to", AgeX25519Identity.Generate().Recipient.ToString()); // owner plus escrow
        Assert.True(r.ExitCode == 0, r.Stderr);
        Age("-d", "-i", _key, "-o", _dir.File("age.kdump"), _dir.File("enc.kdump.age")).Ok("age -d");
        Assert.Equal(File.ReadAllBytes(_dir.File("plain.kdump")), File.ReadAllBytes(_dir.File("age.kdump")));
    }

    /// <summary>Files age -r made are read in place by info, verify --golden, dmesg and diff.</summary>
    [SkippableTheory]
    [InlineData("elf")]
    [InlineData("kdump")]
    public void AgeEncryptedDump_ReadByEveryVerb(string which)
    {
        NeedAge();
        string src = which == "elf" ? Elf : Kdump, enc = _dir.File("dump.age");
        Age("-r", _recipient, "-o", enc, src).Ok("age -r");
        var info = CliRunner.Run("info", enc, "--identity", _key, "--json");
        Assert.True(info.ExitCode == 0, info.Stderr);
        var plainInfo = CliRunner.Run("info", src, "--json");
        using (JsonDocument a = JsonDocument.Parse(info.Stdout), b = JsonDocument.Parse(plainInfo.Stdout))
            Assert.Equal(b.RootElement.GetProperty("format").GetString(), a.RootElement.GetProperty("format").GetString());
        var verify = CliRunner.Run("verify", enc, "--identity", _key, "--golden", Golden);
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.Equal(CliRunner.Run("dmesg", src).Stdout, CliRunner.Run("dmesg", enc, "--identity", _key).Stdout);
        Assert.Equal(0, CliRunner.Run("diff", enc, src, "--identity", _key).ExitCode);
        var manifest = CliRunner.Run("manifest", enc, "-o", _dir.File("m"), "--identity", _key);
        Assert.True(manifest.ExitCode == 0, manifest.Stderr);
    }

    [SkippableFact]
    public void Decrypt_AgeMadeFile_WithKeyFromAgeKeygen()
    {
        NeedAge();
        var key = _dir.File("agekey.txt");
        RealTools.Run("age-keygen", ["-o", key]).Ok("age-keygen");
        var recipient = RealTools.Run("age-keygen", ["-y", key]).Ok("age-keygen -y").Stdout.Trim();
        var r = CliRunner.Run("convert", Elf, _dir.File("e.age"), "--encrypt-to-file", Write("rcpt.txt", $"# owner\n{recipient}\n\n"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Age("-d", "-i", key, "-o", _dir.File("a.kdump"), _dir.File("e.age")).Ok("age -d");
        Assert.Equal(0, CliRunner.Run("verify", _dir.File("a.kdump"), "--golden", Golden).ExitCode);
    }

    [Fact]
    public void Info_WithoutIdentity_SaysWhatItIsExit1()
    {
        Encrypted(out var enc);
        var r = CliRunner.Run("info", enc);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("age-encrypted", r.Stderr);
        Assert.Contains("X25519", r.Stderr);
    }

    [Fact]
    public void WrongIdentity_OneLineNoIdentityMatches()
    {
        Encrypted(out var enc);
        var other = _dir.File("other.txt");
        CliRunner.Run("keygen", "-o", other);
        foreach (var verb in new[] { "info", "verify", "dmesg" })
        {
            var r = CliRunner.Run(verb, enc, "--identity", other);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"hvdump: no identity matches any recipient of {enc}", r.Stderr.Trim());
        }
    }

    [Fact]
    public void Verify_Truncated_ReportsTruncatedExit1()
    {
        var enc = _dir.File("t.age");
        Assert.Equal(0, CliRunner.Run("convert", Elf, enc, "--format", "elf", "--encrypt-to", _recipient).ExitCode);
        var bytes = File.ReadAllBytes(enc);
        int headerEnd = bytes.AsSpan().IndexOf("\n--- "u8) + 1 + 48;
        File.WriteAllBytes(enc, bytes.AsSpan(0, headerEnd + AgeLayout.PayloadNonceSize + 2 * AgeLayout.SealedChunkSize).ToArray());
        var r = CliRunner.Run("verify", enc, "--identity", _key);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("truncated", r.Stderr);
    }

    [Fact]
    public void MalformedHeader_OneLineFormatErrorExit1()
    {
        Encrypted(out var enc);
        var bytes = File.ReadAllBytes(enc);
        bytes[AgeLayout.VersionLine.Length + 1] = (byte)'x'; // "-x X25519 …"
        File.WriteAllBytes(enc, bytes);
        var r = CliRunner.Run("info", enc, "--identity", _key);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"hvdump: {enc}: age stanza at 0x16 line does not start with \"-> \" or \"--- \"", r.Stderr.Trim());
    }

    [Fact]
    public void Convert_BadRecipient_UsageError()
    {
        var r = CliRunner.Run("convert", Elf, _dir.File("x.age"), "--encrypt-to", "age1notakey");
        Assert.Equal(2, r.ExitCode);
        Assert.False(File.Exists(_dir.File("x.age")));
    }

    [Fact]
    public void Convert_RawWithEncryption_Refused()
    {
        var r = CliRunner.Run("convert", Elf, _dir.File("x.raw"), "--format", "raw", "--encrypt-to", _recipient);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("sidecar", r.Stderr);
    }

    [Fact]
    public void Makedumpfile_EncryptTo_DumpfileDecrypts()
    {
        var outp = _dir.File("dumpfile");
        var r = CliRunner.Run("makedumpfile", "-c", "-d", "1", "--encrypt-to", _recipient, Elf, outp);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.StartsWith(AgeLayout.VersionLine, File.ReadAllText(outp)[..AgeLayout.VersionLine.Length]);
        Assert.Equal(0, CliRunner.Run("verify", outp, "--identity", _key, "--golden", Golden).ExitCode);
    }

    [Fact]
    public void Save_EncryptTo_VmcoreAndDmesgEncryptedStatusPlain()
    {
        var target = _dir.File("crash");
        Directory.CreateDirectory(target);
        var r = CliRunner.Run("save", "--vmcore", Elf, "--no-release", "-d", "1", "--encrypt-to", _recipient, target);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var dir = Directory.GetDirectories(target).Single();
        Assert.True(File.Exists(Path.Combine(dir, "vmcore.age")));
        Assert.False(File.Exists(Path.Combine(dir, "vmcore")));
        using (var status = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "status.json"))))
        {
            Assert.Equal("complete", status.RootElement.GetProperty("outcome").GetString());
            Assert.EndsWith("vmcore.age", status.RootElement.GetProperty("output").GetString());
        }
        Assert.Equal(0, CliRunner.Run("verify", Path.Combine(dir, "vmcore.age"), "--identity", _key, "--golden", Golden).ExitCode);
        var dmesg = Path.Combine(dir, "vmcore-dmesg.txt.age");
        if (File.Exists(Path.Combine(dir, "vmcore-dmesg.txt"))) Assert.Fail("vmcore-dmesg.txt in plaintext");
        if (File.Exists(dmesg))
        {
            Assert.Equal(0, CliRunner.Run("decrypt", dmesg, _dir.File("dmesg.txt"), "--identity", _key).ExitCode);
            Assert.Equal(CliRunner.Run("dmesg", Elf).Stdout, File.ReadAllText(_dir.File("dmesg.txt")));
        }
    }

    [Fact]
    public void Save_EncryptedResume_RefusedInOneLine()
    {
        var target = _dir.File("crash");
        Directory.CreateDirectory(target);
        var r = CliRunner.Run("save", "--vmcore", Elf, "--no-release", "--resume", "--encrypt-to", _recipient, target);
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("encrypted save cannot be resumed", r.Stderr);
        Assert.Empty(Directory.GetDirectories(target));
    }

    private void Encrypted(out string path) => path = _age.Encrypted();

    private string Write(string name, string text)
    {
        var p = _dir.File(name);
        File.WriteAllText(p, text);
        return p;
    }
}
