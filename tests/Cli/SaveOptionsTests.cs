using CommandLine;
using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class SaveOptionsTests
{
    /// <summary>The capture kernel's defaults: /proc/vmcore, lzo (fastest back to production), level 31 as the distros.</summary>
    [Fact]
    public void Parse_TargetOnly_CaptureDefaults()
    {
        var o = ParsedOptions.Of<SaveOptions>("save", "/var/crash");
        Assert.Equal("/var/crash", o.Target);
        Assert.Equal("/proc/vmcore", o.Vmcore);
        Assert.Equal("lzo", o.Compress);
        Assert.Equal(31, o.DumpLevel);
        Assert.Equal(16384, o.Checkpoint);
        Assert.Equal("kdump", o.Format);
        Assert.Null(o.RegionMap);
        Assert.Null(o.ReleaseFile);
        Assert.False(o.NoRelease || o.DryRun || o.Resume || o.Json);
    }

    /// <summary>A SaveOptions built in code (SaveVerb's callers, tests) has the defaults the parser fills in.</summary>
    [Fact]
    public void New_Defaults_SameAsParsed()
    {
        var parsed = ParsedOptions.Of<SaveOptions>("save", "t");
        var built = new SaveOptions();
        Assert.Equal((parsed.Vmcore, parsed.Compress, parsed.DumpLevel, parsed.Checkpoint, parsed.Format),
            (built.Vmcore, built.Compress, built.DumpLevel, built.Checkpoint, built.Format));
    }

    [Fact]
    public void Parse_EveryOption_Bound()
    {
        var o = ParsedOptions.Of<SaveOptions>("save", "--vmcore", "v", "--region-map", "m", "--release-file", "r", "-c", "zstd",
            "-d", "1", "--checkpoint", "64", "-f", "elf", "--no-release", "--dry-run", "--resume", "--json",
            "--encrypt-to", "age1a", "--encrypt-to-file", "f", "--encrypt-to", "age1b", "t");
        Assert.Equal(("v", "m", "r", "zstd", 1, 64, "elf"),
            (o.Vmcore, o.RegionMap, o.ReleaseFile, o.Compress, o.DumpLevel, o.Checkpoint, o.Format));
        Assert.True(o.NoRelease && o.DryRun && o.Resume && o.Json);
        Assert.Equal("t", o.Target);
        Assert.Equal(["age1a", "age1b"], o.EncryptTo); // owner plus escrow
        Assert.Equal(["f"], o.EncryptToFile);
    }

    [Fact]
    public void Parse_NoTarget_MissingTargetDir()
    {
        // A missing operand is a MissingRequiredOptionError without a name (CommandLineParser names only options).
        Assert.IsType<MissingRequiredOptionError>(Assert.Single(ParsedOptions.Errors("save", "--dry-run")));
    }
}
