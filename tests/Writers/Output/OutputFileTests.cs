using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

public sealed class OutputFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Commit_Sync_RenamesOntoFinalNameWithMode0600()
    {
        var path = _dir.File("out");
        using (var o = OutputFile.Create(path, force: false, []))
        {
            o.Stream.Write("abc"u8);
            o.Commit(sync: true);
        }
        Assert.Equal("abc", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Create_Exists_RefusedWithReasonExists()
    {
        var path = _dir.File("out");
        File.WriteAllText(path, "x");
        var ex = Assert.Throws<OutputRefusedException>(() => OutputFile.Create(path, force: false, []));
        Assert.Equal(OutputRefusal.Exists, ex.Reason);
        Assert.Equal(path, ex.Path);
    }

    [Fact]
    public void Create_OntoInput_RefusedWithReasonIsInput()
    {
        var path = _dir.File("in");
        File.WriteAllText(path, "x");
        var ex = Assert.Throws<OutputRefusedException>(() => OutputFile.Create(path, force: true, [path]));
        Assert.Equal(OutputRefusal.IsInput, ex.Reason);
    }

    [Fact]
    public void Dispose_Uncommitted_LeavesNothing()
    {
        using (var o = OutputFile.Create(_dir.File("out"), force: false, [])) o.Stream.Write("abc"u8);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }
}
