using HvDumpKit.Cli;
using Xunit;

namespace HvDumpKit.Tests.Cli;

/// <summary>`hvdump --version`: the version, then each codec and whether it answers here.</summary>
public sealed class VersionTextTests
{
    [Fact]
    public void Print_VersionThenFourCodecs()
    {
        var o = new StringWriter();
        Assert.Equal(ExitCodes.Ok, VersionText.Print(o));
        var lines = o.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal($"hvdump {VersionText.Version}", lines[0]);
        Assert.NotEqual("?", VersionText.Version);
        Assert.Equal(["zlib", "lzo", "snappy", "zstd"], lines[1..].Select(l => l.Split('\t')[0]));
        Assert.Equal("snappy\tenabled (managed)", lines[3]);
        Assert.StartsWith("zlib\tenabled (", lines[1]);
    }
}
