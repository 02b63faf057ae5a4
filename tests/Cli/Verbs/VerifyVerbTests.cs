using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli.Verbs;

public sealed class VerifyVerbTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>The committed golden manifest of the committed sample.</summary>
    private static string Golden => Samples.Manifest;

    [Fact]
    public void Verify_Cli_ExitCodes()
    {
        Assert.Equal(0, CliRunner.Run("verify", Samples.Elf, "--golden", Golden).ExitCode);
        Assert.Equal(0, CliRunner.Run("verify", Samples.Kdump).ExitCode);
        var bad = _dir.File("bad.json");
        File.WriteAllText(bad, "{\"format\":\"nope\"}");
        Assert.Equal(1, CliRunner.Run("verify", Samples.Elf, "--golden", bad).ExitCode);
        Assert.Equal(2, CliRunner.Run("verify").ExitCode);
    }
}
