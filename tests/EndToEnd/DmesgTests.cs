using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>Our kernel log against makedumpfile --dump-dmesg (and vmcore-dmesg) on the same dumps.</summary>
[Collection("real vmcore")]
public sealed class DmesgTests(ConvertedOutputs outputs) : IClassFixture<ConvertedOutputs>
{
    private string MakedumpfileDmesg(string input, string name)
    {
        var outp = outputs.Dir.File(name);
        File.Delete(outp);
        RealTools.Run(RealTools.Tool("makedumpfile"), ["--dump-dmesg", input, outp]).Ok("makedumpfile --dump-dmesg");
        return File.ReadAllText(outp);
    }

    [SkippableFact]
    public void Dmesg_RealVmcore_EqualsMakedumpfileLineForLine()
    {
        var expected = MakedumpfileDmesg(RealTools.FixtureFile("vmcore.fixed.elf"), "md.dmesg");
        Assert.Equal(expected, RealTools.Hvdump("dmesg", RealTools.FixtureFile("vmcore.elf")));
        Assert.Equal(expected, RealTools.Hvdump("dmesg", outputs.Get("kdump-zlib-d31")));
        Assert.Equal(expected, RealTools.Hvdump("dmesg", RealTools.FixtureFile("vmcore.kdump-zlib.flat")));
        Assert.Contains("Linux version 6.1.0", expected);
    }

    [SkippableFact]
    public void Dmesg_Synthetic_EqualsMakedumpfileAndVmcoreDmesg()
    {
        var sample = Repo.TestData("elf", "synth-x86_64.vmcore");
        var ours = RealTools.Hvdump("dmesg", sample);
        Assert.Equal(MakedumpfileDmesg(sample, "synth.dmesg"), ours);
        var vd = RealTools.Run(RealTools.Tool("vmcore-dmesg"), [sample]).Ok("vmcore-dmesg");
        // vmcore-dmesg does not indent continuation lines.
        Assert.Equal(vd.Stdout.Replace("\n", ""), ours.Replace("\n               ", "").Replace("\n", ""));
    }
}
