using HvDumpKit.Capture;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Capture;

/// <summary>Which release sink a save gets: the file it names, or one that only records.</summary>
public sealed class ReleaseTargetsTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReleaseTargets_RecordOnly_NeverWrites()
    {
        using var sink = ReleaseTargets.Create(_dir.File("never"), map: null, recordOnly: true);
        Assert.IsType<NoRelease>(sink);
        Assert.False(File.Exists(_dir.File("never")));
    }
}
