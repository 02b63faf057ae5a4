using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Cli;

/// <summary>Drives the built hvdump executable as a process, where stdout really is a pipe.</summary>
public sealed class StdoutStreamTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static string HvdumpDll => Path.Combine(AppContext.BaseDirectory, "hvdump.dll");

    [Fact]
    public void Convert_DashOut_WritesFlattenedStreamToStdout()
    {
        var outp = _dir.File("piped.flat");
        var r = RealTools.Run("/bin/sh", ["-c", $"dotnet '{HvdumpDll}' convert '{InfoCommandTests.Sample}' - --format flat --compress lzo | cat > '{outp}'"]);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("wrote -", r.Stderr);
        using var a = DumpProbe.Open(InfoCommandTests.Sample);
        using var b = DumpProbe.Open(outp);
        Assert.Equal(DumpFormat.Flattened, b.Header.Format);
        Builders.Convert.AssertSamePages(a, b);
    }

    [Fact]
    public void Convert_DashOutWithoutFlat_Exit2()
    {
        var r = RealTools.Run("dotnet", [HvdumpDll, "convert", InfoCommandTests.Sample, "-", "--format", "kdump"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.Stdout);
    }
}
