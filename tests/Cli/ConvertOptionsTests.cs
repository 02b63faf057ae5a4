using CommandLine;
using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class ConvertOptionsTests
{
    [Fact]
    public void Parse_InAndOut_KdumpAtLevelZeroCodecLeftToTheVerb()
    {
        var o = ParsedOptions.Of<ConvertOptions>("convert", "in", "out");
        Assert.Equal(("in", "out"), (o.Input, o.Output));
        Assert.Equal("kdump", o.Format);
        Assert.Equal(0, o.DumpLevel);
        Assert.Null(o.Compress); // null, not "zstd": the verb picks the default for the format
        Assert.Null(o.CompressLevel);
        Assert.Null(o.Threads);
        Assert.Null(o.Memory);
        Assert.False(o.Force || o.Sync || o.Stats || o.Json);
    }

    /// <summary>What the parser fills in is what a ConvertOptions built in code has: both are the same defaults.</summary>
    [Fact]
    public void New_Defaults_SameAsParsed()
    {
        var parsed = ParsedOptions.Of<ConvertOptions>("convert", "in", "out");
        var built = new ConvertOptions();
        Assert.Equal((parsed.Format, parsed.DumpLevel, parsed.Compress), (built.Format, built.DumpLevel, built.Compress));
    }

    [Fact]
    public void Parse_ShortOptions_Bound()
    {
        var o = ParsedOptions.Of<ConvertOptions>("convert", "-f", "flat", "-c", "lzo", "-d", "31", "--compress-level", "3",
            "--threads", "2", "--memory", "4M", "--force", "--sync", "--stats", "in", "out");
        Assert.Equal(("flat", "lzo", 31, 3, 2, "4M"), (o.Format, o.Compress, o.DumpLevel, o.CompressLevel, o.Threads, o.Memory));
        Assert.True(o.Force && o.Sync && o.Stats);
    }

    [Fact]
    public void Parse_RecipientsRepeated_EveryOneInOrder()
    {
        var o = ParsedOptions.Of<ConvertOptions>("convert", "--encrypt-to", "age1a", "--encrypt-to", "age1b",
            "--encrypt-to-file", "r1", "--encrypt-to-file", "r2", "--encrypt-to=age1c", "in", "out");
        Assert.Equal(("in", "out"), (o.Input, o.Output));
        Assert.Equal(["age1a", "age1b", "age1c"], o.EncryptTo);
        Assert.Equal(["r1", "r2"], o.EncryptToFile);
    }

    /// <summary>After --, an OUT that starts with '-' is a value (OutputPathGuard then lets it through).</summary>
    [Fact]
    public void Parse_AfterDashDash_DashedOut() =>
        Assert.Equal("-odd", ParsedOptions.Of<ConvertOptions>("convert", "in", "--", "-odd").Output);

    [Fact]
    public void Parse_NoOut_MissingOutValue()
    {
        // A missing operand is a MissingRequiredOptionError without a name (CommandLineParser names only options).
        Assert.IsType<MissingRequiredOptionError>(Assert.Single(ParsedOptions.Errors("convert", "in")));
    }

    [Fact]
    public void Parse_DumpLevelNotANumber_BadFormat() =>
        Assert.IsType<BadFormatConversionError>(Assert.Single(ParsedOptions.Errors("convert", "-d", "all", "in", "out")));
}
