using Xunit;

namespace HvDumpKit.Tests.Builders;

/// <summary>
/// A scratch directory holding an identity made by `hvdump keygen -o key.txt`, and the recipient it printed:
/// the shared setup of the age command-line tests (EncryptionCommandTests, DecryptVerbTests, KeygenVerbTests).
/// </summary>
public sealed class AgeKeyedDir : IDisposable
{
    public AgeKeyedDir()
    {
        Key = Dir.File("key.txt");
        var r = CliRunner.Run("keygen", "-o", Key);
        Assert.Equal(0, r.ExitCode);
        Recipient = r.Stderr.Trim().Split(' ')[^1];
    }

    public TempDir Dir { get; } = new();
    public string Key { get; }
    public string Recipient { get; }

    /// <summary>Samples.Elf converted with --encrypt-to the recipient, as e.age.</summary>
    public string Encrypted()
    {
        var path = Dir.File("e.age");
        Assert.Equal(0, CliRunner.Run("convert", Samples.Elf, path, "--encrypt-to", Recipient).ExitCode);
        return path;
    }

    public void Dispose() => Dir.Dispose();
}
