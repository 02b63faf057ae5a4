using HvDumpKit.Cli;
using HvDumpKit.Cli.Output;
using Xunit;

namespace HvDumpKit.Tests.Cli.Output;

/// <summary>The exact lines makedumpfile's callers read (stdout) and hvdump's own (stderr).</summary>
public sealed class MakedumpfileMessagesTests
{
    private readonly StringWriter _out = new() { NewLine = "\n" };
    private readonly StringWriter _err = new() { NewLine = "\n" };

    [Fact]
    public void Version_CompatibleVersionAndCodecs_Zero()
    {
        Assert.Equal(0, MakedumpfileMessages.Version(_out));
        Assert.Equal("makedumpfile: version 1.7.2 compatible (hvdump)\nlzo\tenabled\nsnappy\tenabled\nzstd\tenabled\n", _out.ToString());
    }

    [Fact]
    public void Ignored_MootOptionsAndVmlinux_OneLineEach()
    {
        MakedumpfileMessages.Ignored(["--cyclic-buffer", "--work-dir"], vmlinux: true, _err);
        var lines = _err.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("hvdump: --cyclic-buffer accepted and ignored: hvdump streams in bounded memory cycle by cycle, so it needs no " +
            "cyclic buffer or work directory", lines[0]);
        Assert.StartsWith("hvdump: --work-dir accepted and ignored: ", lines[1]);
        Assert.Equal("hvdump: -x accepted and ignored: everything is taken from VMCOREINFO", lines[2]);
    }

    [Fact]
    public void Ignored_Nothing_Silent()
    {
        MakedumpfileMessages.Ignored([], vmlinux: false, _err);
        Assert.Equal("", _err.ToString());
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(2, true)]
    [InlineData(4, false)] // makedumpfile's common-message bit (2) off: the line is not printed
    [InlineData(0, false)]
    public void Provenance_OnlyWithCommonMessageBit(int level, bool printed)
    {
        MakedumpfileMessages.Provenance(level, "wrote x", _err);
        Assert.Equal(printed ? $"hvdump {VersionText.Version}: makedumpfile command line, wrote x\n" : "", _err.ToString());
    }

    [Fact]
    public void Retrying_WhyAndNextLevel()
    {
        MakedumpfileMessages.Retrying("the dump does not fit in 1024 bytes", 31, _err);
        Assert.Equal("makedumpfile: the dump does not fit in 1024 bytes; retrying with dump level 31\n", _err.ToString());
    }

    [Fact]
    public void FileExists_CheckDumpFileLineThenFailed_One()
    {
        Assert.Equal(1, MakedumpfileMessages.FileExists("/var/crash/dumpfile", _out, _err));
        Assert.Equal("check_dump_file: Can't open the dump file (/var/crash/dumpfile). File exists.\n", _err.ToString());
        Assert.Equal("\nmakedumpfile Failed.\n", _out.ToString());
    }

    [Fact]
    public void Saved_DryRun_NotSaved() =>
        Assert.Equal("The dumpfile is not saved (dry run).", MakedumpfileMessages.Saved(dryRun: true, split: true, ["a", "b"]));

    [Fact]
    public void Saved_One_ItsPath() =>
        Assert.Equal("The dumpfile is saved to /d/dumpfile.", MakedumpfileMessages.Saved(false, false, ["/d/dumpfile"]));

    [Fact]
    public void Saved_Split_ListedWithAndBeforeTheLast()
    {
        Assert.Equal("The dumpfiles are saved to a, and b.", MakedumpfileMessages.Saved(false, true, ["a", "b"]));
        Assert.Equal("The dumpfiles are saved to a, b, and c.", MakedumpfileMessages.Saved(false, true, ["a", "b", "c"]));
    }

    [Fact]
    public void Completed_SavedThenCompleted_Zero()
    {
        Assert.Equal(0, MakedumpfileMessages.Completed(_out, "The dumpfile is saved to d."));
        Assert.Equal("\nThe dumpfile is saved to d.\n\nmakedumpfile Completed.\n", _out.ToString());
    }

    [Fact]
    public void Fail_BlankLineThenFailed_One()
    {
        Assert.Equal(1, MakedumpfileMessages.Fail(_out));
        Assert.Equal("\nmakedumpfile Failed.\n", _out.ToString());
    }

    [Fact]
    public void Usage_SynopsisLines()
    {
        MakedumpfileMessages.Usage(_out);
        var lines = _out.ToString().Split('\n');
        Assert.Equal("hvdump makedumpfile: makedumpfile-compatible command line (see README.md for the option table)", lines[0]);
        Assert.Equal("  makedumpfile -R DUMPFILE < STREAM", lines[3]);
        Assert.Contains("--encrypt-to RECIPIENT, --encrypt-to-file FILE", lines[6]);
    }
}
