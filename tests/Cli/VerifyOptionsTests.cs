using CommandLine;
using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class VerifyOptionsTests
{
    [Fact]
    public void Parse_DumpOnly_NoGoldenAllCores()
    {
        var o = ParsedOptions.Of<VerifyOptions>("verify", "d.kdump");
        Assert.Equal("d.kdump", o.Dump);
        Assert.Null(o.Golden);
        Assert.Null(o.Threads);
        Assert.False(o.Json);
    }

    [Fact]
    public void Parse_GoldenThreadsJson_Bound()
    {
        var o = ParsedOptions.Of<VerifyOptions>("verify", "--golden", "m.json", "--threads", "3", "--json", "--identity", "k", "d");
        Assert.Equal(("m.json", 3), (o.Golden, o.Threads));
        Assert.True(o.Json);
        Assert.Equal(["k"], o.Identity);
    }

    [Fact]
    public void Parse_ThreadsNotANumber_BadFormat() =>
        Assert.IsType<BadFormatConversionError>(Assert.Single(ParsedOptions.Errors("verify", "--threads", "many", "d")));
}
