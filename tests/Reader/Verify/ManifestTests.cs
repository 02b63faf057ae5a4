using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Verify;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Verify;

public sealed class ManifestTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>The committed golden manifest of the committed sample.</summary>
    private static string Golden => Samples.Manifest;

    [Fact]
    public void CommittedManifest_IsWhatManifestMakes()
    {
        var json = _dir.File("m.json");
        Assert.Equal(0, CliRunner.Run("manifest", Samples.Elf, "-o", _dir.File("m")).ExitCode);
        var text = File.ReadAllText(json).Replace("\"m.digests\"", "\"synth-x86_64.manifest.digests\"");
        Builders.Golden.Text(Golden, text);
        Builders.Golden.Bytes(Repo.TestData("elf", "synth-x86_64.manifest.digests"), File.ReadAllBytes(_dir.File("m.digests")));
    }
}
