using CommandLine;
using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class ManifestOptionsTests
{
    [Fact]
    public void Parse_DumpAndOutput_Bound()
    {
        var o = ParsedOptions.Of<ManifestOptions>("manifest", "-o", "golden/name", "d.elf");
        Assert.Equal(("d.elf", "golden/name"), (o.Dump, o.Output));
        Assert.Null(o.Threads);
        Assert.False(o.Force);
    }

    [Fact]
    public void Parse_LongOutputForceThreads_Bound()
    {
        var o = ParsedOptions.Of<ManifestOptions>("manifest", "--output", "n", "--force", "--threads", "1", "d");
        Assert.Equal(("n", 1), (o.Output, o.Threads));
        Assert.True(o.Force);
    }

    /// <summary>--output is required: a manifest always has a base name to write NAME.json and NAME.digests under.</summary>
    [Fact]
    public void Parse_NoOutput_MissingRequiredOutput()
    {
        var e = Assert.IsType<MissingRequiredOptionError>(Assert.Single(ParsedOptions.Errors("manifest", "d.elf")));
        Assert.Equal("output", e.NameInfo.LongName);
    }
}
