using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class ProgramTests
{
    [Fact]
    public void InternalErrorLine_OneLineSayingItIsABug()
    {
        string line = Program.InternalErrorLine(new InvalidOperationException("two\nlines"));
        Assert.DoesNotContain('\n', line);
        Assert.Contains("a bug in hvdump", line);
        Assert.Contains("InvalidOperationException", line);
    }

    [Fact]
    public void ExitCodes_InternalError_IsExSoftware()
    {
        Assert.Equal(70, ExitCodes.InternalError);
        Assert.NotEqual(ExitCodes.BadInput, ExitCodes.InternalError);
    }

    [Theory]
    [InlineData("info")]
    [InlineData("frobnicate")]
    [InlineData("convert", "a")]
    public void Usage_Errors_Exit2(params string[] args)
    {
        Assert.Equal(2, CliRunner.Run(args).ExitCode);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("info", "--help")]
    [InlineData("convert", "--help")]
    public void Help_EveryVerb_Exit0(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("hvdump", r.Stdout);
    }
}
