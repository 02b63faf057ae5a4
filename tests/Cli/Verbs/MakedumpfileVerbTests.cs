using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli.Verbs;

/// <summary>
/// hvdump under makedumpfile's command line says on stderr that it was hvdump that wrote the dump
/// (a distro script that runs "makedumpfile" cannot tell otherwise), at makedumpfile's common-message
/// level only, and never on a failure, which stays one line.
/// </summary>
public sealed class MakedumpfileVerbTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Dump_Success_NamesHvdumpAndItsVersionOnStderr()
    {
        var outp = _dir.File("out.kdump");
        var r = CliRunner.Run("makedumpfile", "-l", "-d", "31", Samples.Elf, outp);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var line = Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith($"hvdump {VersionText.Version}: makedumpfile command line, ", line);
        Assert.Contains("at dump level 31", line);
        Assert.DoesNotContain("makedumpfile command line", r.Stdout); // stdout keeps makedumpfile's own words, which scripts read
    }

    [Fact]
    public void DumpDmesg_Success_NamesHvdump()
    {
        var r = CliRunner.Run("makedumpfile", "--dump-dmesg", Samples.Elf, _dir.File("dmesg.txt"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("makedumpfile command line, kernel log of", r.Stderr);
    }

    [Fact]
    public void MessageLevelWithoutCommonMessages_Silent()
    {
        var r = CliRunner.Run("makedumpfile", "-l", "-d", "31", "--message-level", "4", Samples.Elf, _dir.File("o.kdump"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Failure_OneLineNoProvenance()
    {
        var r = CliRunner.Run("makedumpfile", "-l", "-d", "31", _dir.File("missing.vmcore"), _dir.File("o.kdump"));
        Assert.NotEqual(0, r.ExitCode);
        var line = Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("makedumpfile command line", line);
    }
}
