using CommandLine;
using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class DiffOptionsTests
{
    [Fact]
    public void Parse_TwoDumps_AThenB()
    {
        var o = ParsedOptions.Of<DiffOptions>("diff", "a.elf", "b.kdump");
        Assert.Equal(("a.elf", "b.kdump"), (o.A, o.B));
        Assert.Null(o.Threads);
        Assert.False(o.Json);
    }

    [Fact]
    public void Parse_JsonThreadsIdentity_Bound()
    {
        var o = ParsedOptions.Of<DiffOptions>("diff", "--json", "--threads", "4", "--identity", "k", "a", "b");
        Assert.True(o.Json);
        Assert.Equal(4, o.Threads);
        Assert.Equal(["k"], o.Identity);
    }

    [Fact]
    public void Parse_OneDump_MissingB()
    {
        // A missing operand is a MissingRequiredOptionError without a name (CommandLineParser names only options).
        Assert.IsType<MissingRequiredOptionError>(Assert.Single(ParsedOptions.Errors("diff", "a.elf")));
    }
}
