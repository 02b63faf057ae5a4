using System.Diagnostics;
using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

/// <summary>
/// An output path that starts with '-' is refused unless it comes after `--`: a flag typed where a
/// file name was expected must never become a file (a 200 KB core named `--help` was once committed).
/// </summary>
public sealed class OutputPathGuardTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>hvdump as a process whose working directory is the empty scratch directory: any file it creates shows there.</summary>
    private (int Code, string Stderr) Hvdump(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir.Path, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Samples.HvdumpDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "hvdump did not exit");
        return (p.ExitCode, err.Result);
    }

    [Theory]
    [InlineData("convert", "IN", "--help")]
    [InlineData("convert", "IN", "-o")]
    [InlineData("convert", "IN", "--help", "--format", "elf")]
    [InlineData("makedumpfile", "-c", "IN", "--help")]
    [InlineData("makedumpfile", "-E", "-d", "31", "IN", "--help")]
    [InlineData("makedumpfile", "-c", "-d", "1", "IN", "-x")]
    [InlineData("dmesg", "IN", "--help")]
    [InlineData("manifest", "IN", "--output=-y")]
    public void OptionWhereOutputExpected_CreatesNoFile(params string[] args)
    {
        var r = Hvdump(args.Select(a => a == "IN" ? Samples.Elf : a).ToArray());
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
        Assert.True(r.Code is 0 or 1 or 2, r.Stderr);
        if (args.Any(a => a.StartsWith("--output=", StringComparison.Ordinal))) Assert.Contains("give it after --", r.Stderr); // only the guard stands here
    }

    [Fact]
    public void DashedOutputAfterDashDash_IsAFileName()
    {
        var a = Hvdump("convert", "--compress", "lzo", "--", Samples.Elf, "-odd.kdump");
        Assert.True(a.Code == 0, a.Stderr);
        Assert.True(File.Exists(_dir.File("-odd.kdump")));
        var b = Hvdump("makedumpfile", "-l", "-d", "1", "--", Samples.Elf, "-odd2.kdump");
        Assert.True(b.Code == 0, b.Stderr);
        Assert.True(File.Exists(_dir.File("-odd2.kdump")));
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("-x")]
    public void Check_DashedPathNotAfterDashDash_OneLineNamingIt(string path)
    {
        var ex = Assert.Throws<UsageException>(() => OutputPathGuard.Check(path, "OUT", ["convert", "in", path]));
        Assert.Contains($"OUT '{path}'", ex.Message);
        Assert.Contains("after --", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Check_StdoutAndPlainNames_Accepted()
    {
        OutputPathGuard.Check("-", "OUT", ["convert", "in", "-"]);
        OutputPathGuard.Check("out-file", "OUT", ["convert", "in", "out-file"]);
        OutputPathGuard.Check(null, "OUT", []);
        OutputPathGuard.Check("-x", "OUT", ["convert", "--", "in", "-x"]);
    }

    /// <summary>The repository itself: no tracked file whose name starts with '-'.</summary>
    [Fact]
    public void Repository_TracksNoFileNamedLikeAnOption()
    {
        var psi = new ProcessStartInfo("git", ["-C", Repo.Root, "ls-files"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var files = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "git ls-files failed: " + p.StandardError.ReadToEnd());
        Assert.NotEmpty(files);
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith('-'));
    }
}
