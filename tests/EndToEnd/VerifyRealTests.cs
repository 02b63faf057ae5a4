using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>Golden manifests of a real QEMU vmcore against our outputs and makedumpfile's.</summary>
[Collection("real vmcore")]
public sealed class VerifyRealTests(ConvertedOutputs outputs) : IClassFixture<ConvertedOutputs>
{
    private string Golden()
    {
        var g = outputs.Dir.File("golden.json");
        if (!File.Exists(g)) RealTools.Hvdump("manifest", RealTools.FixtureFile("vmcore.elf"), "-o", outputs.Dir.File("golden"));
        return g;
    }

    [SkippableTheory]
    [InlineData("elf")]
    [InlineData("raw")]
    [InlineData("kdump-zlib")]
    [InlineData("kdump-lzo")]
    [InlineData("kdump-snappy")]
    [InlineData("kdump-zstd")]
    [InlineData("flat-zstd")]
    public void Manifest_VerifiesAgainstOurOutputs(string name)
    {
        var r = CliRunner.Run("verify", "--golden", Golden(), outputs.Get(name));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains(": OK", r.Stdout);
    }

    [SkippableTheory]
    [InlineData("-c")]
    [InlineData("-l")]
    [InlineData("-E")]
    public void Manifest_VerifiesAgainstMakedumpfileLevel0(string flag)
    {
        var outp = outputs.Dir.File("md0" + flag);
        File.Delete(outp);
        RealTools.Run(RealTools.Tool("makedumpfile"), [flag, "-d", "0", RealTools.FixtureFile("vmcore.fixed.elf"), outp], timeoutSeconds: 600)
            .Ok("makedumpfile " + flag);
        var r = CliRunner.Run("verify", "--golden", Golden(), outp);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        File.Delete(outp);
    }

    [SkippableFact]
    public void Level31_ExcludedReportedByClassWithoutMismatch()
    {
        var r = CliRunner.Run("verify", "--golden", Golden(), outputs.Get("kdump-zlib-d31"), "--json");
        Assert.True(r.ExitCode == 0, r.Stdout);
        Assert.Contains("\"mismatched\": 0", r.Stdout);
        Assert.Contains("\"free\":", r.Stdout);
        Assert.Contains("\"cache\":", r.Stdout);
        Assert.Contains("\"user\":", r.Stdout);
    }

    [SkippableFact]
    public void Diff_OurElfAndKdumpLevel0_AndMakedumpfilesLevel31AndOurs_NoDifference()
    {
        Assert.Equal(0, CliRunner.Run("diff", outputs.Get("elf"), outputs.Get("kdump-zstd")).ExitCode);
        var md = outputs.Dir.File("md31-diff.kdump");
        File.Delete(md);
        RealTools.Run(RealTools.Tool("makedumpfile"), ["-c", "-d", "31", RealTools.FixtureFile("vmcore.fixed.elf"), md], timeoutSeconds: 300)
            .Ok("makedumpfile -c -d 31");
        var r = CliRunner.Run("diff", md, outputs.Get("kdump-zlib-d31"));
        Assert.True(r.ExitCode == 0, r.Stdout);
    }
}
