using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

/// <summary>fsync of a directory, so a rename into it is durable.</summary>
public sealed class DirectorySyncTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>A directory fsync that fails is reported, not swallowed (the rename would not be durable).</summary>
    [Fact]
    public void DirectorySync_Missing_ThrowsIOExceptionWithErrno()
    {
        var ex = Assert.Throws<IOException>(() => DirectorySync.Sync(_dir.File("no-such-dir")));
        Assert.Equal(2, ex.HResult); // ENOENT
    }

    [Fact]
    public void DirectorySync_Directory_Succeeds()
    {
        DirectorySync.Sync(_dir.Path);
    }
}
