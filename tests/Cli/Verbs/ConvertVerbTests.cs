using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Cli.Verbs;

public sealed class ConvertVerbTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static string Sample => Samples.Elf;
    private static string KdumpSample => Samples.Kdump;
    private static string HvdumpDll => Samples.HvdumpDll;

    [Fact]
    public void Convert_CreatesOutput0600AndRefusesOverwriteWithoutForce()
    {
        var outp = _dir.File("o.kdump");
        var r = CliRunner.Run("convert", Sample, outp, "--format", "kdump", "--compress", "zlib", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outp));
        using (var doc = JsonDocument.Parse(r.Stdout))
            Assert.Equal(48, doc.RootElement.GetProperty("pages_written").GetInt32());
        var again = CliRunner.Run("convert", Sample, outp);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("exists; use --force", again.Stderr);
        Assert.Equal(0, CliRunner.Run("convert", Sample, outp, "--force", "--compress", "lzo").ExitCode);
        Assert.Empty(Directory.GetFiles(_dir.Path, ".*tmp"));
    }

    [Fact]
    public void Convert_OntoInput_Refused()
    {
        var copy = _dir.File("in.vmcore");
        File.Copy(Sample, copy);
        var r = CliRunner.Run("convert", copy, copy, "--force");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("refusing to write onto the input", r.Stderr);
        Assert.Equal(File.ReadAllBytes(Sample), File.ReadAllBytes(copy));
    }

    [Fact]
    public void Convert_BadInput_NoOutputLeftBehind()
    {
        var bad = _dir.File("bad.vmcore");
        var bytes = File.ReadAllBytes(Sample);
        File.WriteAllBytes(bad, bytes.AsSpan(0, bytes.Length - 4096).ToArray());
        var r = CliRunner.Run("convert", bad, _dir.File("o.elf"), "--format", "elf");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        Assert.False(File.Exists(_dir.File("o.elf")));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Theory]
    [InlineData("--format", "zip")]
    [InlineData("--compress", "brotli")]
    [InlineData("--dump-level", "40")]
    [InlineData("--dump-level", "-1")]
    [InlineData("--memory", "12Q")]
    public void Convert_BadOptionValue_Exit2(string opt, string value)
    {
        var r = CliRunner.Run("convert", Sample, _dir.File("o"), opt, value);
        Assert.Equal(2, r.ExitCode);
        Assert.False(File.Exists(_dir.File("o")));
    }

    [Fact]
    public void Convert_RawWritesSidecarAndRoundTrips()
    {
        var raw = _dir.File("mem.raw");
        Assert.Equal(0, CliRunner.Run("convert", Sample, raw, "--format", "raw", "--dump-level", "1").ExitCode);
        Assert.True(File.Exists(raw + ".json"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(raw + ".json"));
        using var a = DumpProbe.Open(Sample);
        using var b = DumpProbe.Open(raw);
        Assert.Equal(HvDumpKit.Reader.DumpFormat.Raw, b.Header.Format);
        Builders.Convert.AssertSamePages(a, b);
    }

    /// <summary>The synthetic kernel without the page that holds its struct pages (PFN 7): mem_section reads, no struct page does.</summary>
    private string WithoutStructPages()
    {
        const int page = SyntheticKernel.Page;
        var mem = SyntheticKernel.Memory();
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(SyntheticKernel.VmcoreInfo())
            .AddLoad(0, mem.AsSpan(0, 7 * page).ToArray(), vaddr: SyntheticKernel.Kv(0))
            .AddLoad(8 * page, mem.AsSpan(8 * page).ToArray(), vaddr: SyntheticKernel.Kv(8 * page));
        return b.WriteTo(_dir.File("nomemmap.elf"));
    }

    [Fact]
    public void Convert_CannotClassify_OneLineExit1NothingWritten()
    {
        var input = WithoutStructPages();
        var outp = _dir.File("o.kdump");
        var r = CliRunner.Run("convert", input, outp, "--dump-level", "31");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot filter at dump level 31: the struct pages do not read from the dump (PFN 0x0's at 0x", line);
        Assert.DoesNotContain("wrote", r.Stdout + r.Stderr);
        Assert.False(File.Exists(outp));
        // Zero pages need no page classes.
        Assert.Equal(0, CliRunner.Run("convert", input, outp, "--dump-level", "1").ExitCode);
    }

    [Fact]
    public void Convert_NoVmcoreInfoAtLevel31_SaysSoExit1()
    {
        var input = new ElfCoreBuilder().PrStatus(1).AddLoad(0, new byte[8 * 4096]).WriteTo(_dir.File("novmci.elf"));
        var r = CliRunner.Run("convert", input, _dir.File("o.kdump"), "-d", "31");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot filter at dump level 31: the dump has no VMCOREINFO", r.Stderr);
    }

    [Fact]
    public void Convert_DashOut_WritesFlattenedStreamToStdout()
    {
        var outp = _dir.File("piped.flat");
        var r = RealTools.Run("/bin/sh", ["-c", $"dotnet '{HvdumpDll}' convert '{Samples.Elf}' - --format flat --compress lzo | cat > '{outp}'"]);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("wrote -", r.Stderr);
        using var a = DumpProbe.Open(Samples.Elf);
        using var b = DumpProbe.Open(outp);
        Assert.Equal(DumpFormat.Flattened, b.Header.Format);
        Builders.Convert.AssertSamePages(a, b);
    }

    [Fact]
    public void Convert_DashOutWithoutFlat_Exit2()
    {
        var r = RealTools.Run("dotnet", [HvdumpDll, "convert", Samples.Elf, "-", "--format", "kdump"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.Stdout);
    }

    /// <summary>A VMCOREINFO without CRASHTIME or init_uts_ns: those must come from the kdump header.</summary>
    private string BareVmcoreInfo()
    {
        var vi = _dir.File("VI.txt");
        File.WriteAllText(vi, "OSRELEASE=6.1.0-test\nPAGESIZE=4096\n");
        return vi;
    }

    [Fact]
    public void Convert_KdumpWithVmcoreInfo_KeepsCrashTimeAndUtsname()
    {
        var outp = _dir.File("re.kdump");
        Assert.Equal(0, CliRunner.Run("convert", KdumpSample, outp, "--format", "kdump", "--vmcoreinfo", BareVmcoreInfo()).ExitCode);
        var r = CliRunner.Run("info", outp);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("format:       kdump-compressed (header_version 6)\n", r.Stdout);
        Assert.Contains("crash time:   2023-11-14 22:13:20 UTC\n", r.Stdout);
        Assert.Contains("utsname:      Linux testhost 6.1.0-test x86_64\n", r.Stdout);
    }
}
