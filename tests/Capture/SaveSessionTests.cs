using System.Text.Json;
using HvDumpKit.Capture;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Capture;

/// <summary>The save workflow called as a library, without the command line.</summary>
public sealed class SaveSessionTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private (string Vmcore, string Map, string Target) Fixture()
    {
        var memory = new byte[1 << 20];
        new Random(3).NextBytes(memory.AsSpan(0, 0x40000));
        var vmcore = new ElfCoreBuilder().VmcoreInfo("OSRELEASE=6.1.0-test\nPAGESIZE=4096\n").AddLoad(0, memory).WriteTo(_dir.File("v.vmcore"));
        var map = _dir.File("map");
        File.WriteAllText(map, "DUMP:0x0-0x40000, 0x40000-0xC0000\n");
        var target = _dir.File("out");
        Directory.CreateDirectory(target);
        return (vmcore, map, target);
    }

    [Fact]
    public void Run_WithReleaseFile_CompleteAndEveryRangeReleased()
    {
        var (vmcore, map, target) = Fixture();
        var release = _dir.File("release");
        File.WriteAllText(release, "");
        var result = SaveSession.Run(new SaveRequest
        {
            Target = target, Vmcore = vmcore, RegionMap = map, ReleaseFile = release, DumpLevel = 0, CheckpointPages = 16,
        }, TextWriter.Null);
        Assert.True(result.Ok);
        Assert.False(result.AlreadyComplete);
        Assert.Equal("complete", result.Outcome);
        Assert.True(File.Exists(result.Output));
        Assert.True(result.RangesReleased > 0);
        Assert.NotEmpty(File.ReadAllText(release));
        using var status = JsonDocument.Parse(File.ReadAllText(result.StatusPath));
        Assert.Equal("complete", status.RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public void Run_ResumeAfterComplete_AlreadyCompleteNothingDone()
    {
        var (vmcore, map, target) = Fixture();
        var request = new SaveRequest { Target = target, Vmcore = vmcore, RegionMap = map, NoRelease = true, DumpLevel = 0 };
        var first = SaveSession.Run(request, TextWriter.Null);
        var again = SaveSession.Run(request with { Resume = true }, TextWriter.Null);
        Assert.True(again.AlreadyComplete);
        Assert.Equal(first.StatusPath, again.StatusPath);
        Assert.Single(Directory.GetDirectories(target));
    }

    [Fact]
    public void Run_FlatFormat_OutputIsAFlattenedKdump()
    {
        var (vmcore, map, target) = Fixture();
        var result = SaveSession.Run(new SaveRequest
        {
            Target = target, Vmcore = vmcore, RegionMap = map, NoRelease = true, DumpLevel = 0, Format = OutputFormat.Flattened,
        }, TextWriter.Null);
        Assert.True(result.Ok);
        Assert.Equal(DumpFormat.Flattened, DumpProbe.Identify(result.Output));
    }
}
