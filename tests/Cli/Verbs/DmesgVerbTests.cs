using System.Text.Json;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli.Verbs;

public sealed class DmesgVerbTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("elf", "synth-x86_64.vmcore")]
    [InlineData("kdump", "synth-x86_64-zstd.kdump")]
    public void Dmesg_Samples_ThreeRecords(string folder, string name)
    {
        var r = CliRunner.Run("dmesg", Repo.TestData(folder, name));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("[    0.001000] Linux version 6.1.0-test\n[    2.500000] line one\n               line two\n[    3.000001] sysrq: Trigger a crash\n", r.Stdout);
    }

    [Fact]
    public void Dmesg_Caller_MakedumpfileColumnWidth8_ContinuationUnderTheText()
    {
        var r = CliRunner.Run("dmesg", Samples.Elf, "--caller");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("[    0.001000] [      T1] Linux version 6.1.0-test\n[    2.500000] [      T2] line one\n" +
                     new string(' ', 26) + "line two\n[    3.000001] [      T3] sysrq: Trigger a crash\n", r.Stdout);
    }

    [Fact]
    public void Dmesg_CallerWithoutCallerIdOffset_TodaysOutput()
    {
        // Without OFFSET(printk_info.caller_id) makedumpfile 1.7.8 prints no column either.
        var vi = _dir.File("vmcoreinfo.txt");
        File.WriteAllText(vi, SyntheticKernel.VmcoreInfo().Replace("OFFSET(printk_info.caller_id)=20\n", ""));
        var r = CliRunner.Run("dmesg", Samples.Elf, "--caller", "--vmcoreinfo", vi);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(CliRunner.Run("dmesg", Samples.Elf).Stdout, r.Stdout);
        Assert.DoesNotContain("[      T", r.Stdout);
    }

    [Fact]
    public void Dmesg_Json_HasRecordFields()
    {
        var r = CliRunner.Run("dmesg", Samples.Elf, "--json");
        using var doc = JsonDocument.Parse(r.Stdout);
        var recs = doc.RootElement.GetProperty("records");
        Assert.Equal(3, recs.GetArrayLength());
        Assert.Equal("line one\nline two", recs[1].GetProperty("text").GetString());
        Assert.Equal(2500000000UL, recs[1].GetProperty("timestamp_ns").GetUInt64());
        Assert.Equal("T2", recs[1].GetProperty("caller").GetString());
    }

    [Fact]
    public void Dmesg_ToFile_Created0600()
    {
        var outp = _dir.File("vmcore-dmesg.txt");
        Assert.Equal(0, CliRunner.Run("dmesg", Samples.Elf, outp).ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outp));
        Assert.StartsWith("[    0.001000] Linux version", File.ReadAllText(outp));
        Assert.Equal(1, CliRunner.Run("dmesg", Samples.Elf, outp).ExitCode);
    }

    [Fact]
    public void Dmesg_NoVmcoreInfo_Exit1()
    {
        var b = new ElfCoreBuilder().PrStatus(1).AddLoad(0, new byte[4096]);
        var r = CliRunner.Run("dmesg", b.WriteTo(_dir.File("x")));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no kernel log", r.Stderr);
    }
}
