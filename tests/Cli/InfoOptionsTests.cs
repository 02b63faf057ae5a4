using CommandLine;
using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class InfoOptionsTests
{
    [Fact]
    public void Parse_DumpOnly_Defaults()
    {
        var o = ParsedOptions.Of<InfoOptions>("info", "d.elf");
        Assert.Equal("d.elf", o.Dump);
        Assert.Empty(o.Identity);
        Assert.Null(o.VmcoreInfo);
        Assert.Null(o.RegionMap);
        Assert.False(o.Json);
    }

    [Fact]
    public void Parse_EveryOption_Bound()
    {
        var o = ParsedOptions.Of<InfoOptions>("info", "--identity", "k1", "--identity", "k2", "--vmcoreinfo", "vi.txt",
            "--region-map", "map", "--json", "d.elf");
        Assert.Equal(["k1", "k2"], o.Identity); // repeatable: one value per --identity
        Assert.Equal("vi.txt", o.VmcoreInfo);
        Assert.Equal("map", o.RegionMap);
        Assert.True(o.Json);
    }

    [Fact]
    public void Parse_NoDump_MissingDumpValue()
    {
        // A missing operand is a MissingRequiredOptionError without a name (CommandLineParser names only options).
        Assert.IsType<MissingRequiredOptionError>(Assert.Single(ParsedOptions.Errors("info", "--json")));
    }

    /// <summary>A second --identity before DUMP is an identity, not DUMP (CommandLineParser 2.9.1 took it as the operand).</summary>
    [Fact]
    public void Parse_IdentityRepeatedBeforeDump_DumpStaysTheOperand()
    {
        var o = ParsedOptions.Of<InfoOptions>("info", "--identity", "k1", "--identity=k2", "--identity", "k3", "d.elf");
        Assert.Equal("d.elf", o.Dump);
        Assert.Equal(["k1", "k2", "k3"], o.Identity);
    }

    /// <summary>After --, an operand spelled like the option is an operand.</summary>
    [Fact]
    public void Parse_IdentityAfterDashDash_Operand() =>
        Assert.Equal("--identity", ParsedOptions.Of<InfoOptions>("info", "--identity", "k", "--", "--identity").Dump);
}

