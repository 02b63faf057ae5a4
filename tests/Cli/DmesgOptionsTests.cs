using CommandLine;
using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class DmesgOptionsTests
{
    [Fact]
    public void Parse_DumpOnly_LogToStdout()
    {
        var o = ParsedOptions.Of<DmesgOptions>("dmesg", "d.elf");
        Assert.Equal("d.elf", o.Dump);
        Assert.Null(o.Output); // no OUT: the verb writes to stdout
        Assert.False(o.Caller || o.Json || o.Force);
    }

    [Fact]
    public void Parse_OutAndFlags_Bound()
    {
        var o = ParsedOptions.Of<DmesgOptions>("dmesg", "--caller", "--force", "--vmcoreinfo", "vi", "d.elf", "log.txt");
        Assert.Equal("log.txt", o.Output);
        Assert.Equal("vi", o.VmcoreInfo);
        Assert.True(o.Caller && o.Force);
    }

    [Fact]
    public void Parse_NoDump_MissingDumpValue()
    {
        // A missing operand is a MissingRequiredOptionError without a name (CommandLineParser names only options).
        Assert.IsType<MissingRequiredOptionError>(Assert.Single(ParsedOptions.Errors("dmesg")));
    }
}
