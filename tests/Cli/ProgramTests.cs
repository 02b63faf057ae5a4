using HvDumpKit.Cli;
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
}
