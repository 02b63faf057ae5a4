using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

/// <summary>intent/done records beside the output, so a resume never releases a range twice.</summary>
public sealed class ReleaseJournalTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void IntentAndCompleted_OneLineEach_File0600()
    {
        var path = _dir.File("journal");
        using (var j = new ReleaseJournal(path))
        {
            j.Intent(0x1000, 0x2000);
            j.Completed(0x1000, 0x2000);
            j.Intent([(0x10000UL, 0x100UL), (0x20000UL, 0x200UL)]);
            Assert.Equal(path, j.Path);
        }
        Assert.Equal("intent 0x1000 0x2000\ndone 0x1000 0x2000\nintent 0x10000 0x100\nintent 0x20000 0x200\n", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Reopen_IntentWithoutDone_Uncertain()
    {
        var path = _dir.File("journal");
        using (var j = new ReleaseJournal(path))
        {
            j.Intent([(0x1000UL, 0x1000UL), (0x5000UL, 0x3000UL)]);
            j.Completed(0x1000, 0x1000);
        }
        using var again = new ReleaseJournal(path);
        Assert.Equal(2, again.Intended.Count);
        Assert.Equal([(0x1000UL, 0x1000UL)], again.Done);
        Assert.Equal([(0x5000UL, 0x3000UL)], again.Uncertain);
    }

    [Fact]
    public void Reopen_LineCutShort_SkippedAndNextRecordOnALineOfItsOwn()
    {
        var path = _dir.File("journal");
        File.WriteAllText(path, "intent 0x1000 0x1000\ndone 0x1000 0x1000\nintent 0x9000 0x");
        using (var j = new ReleaseJournal(path))
        {
            Assert.Single(j.Intended);
            Assert.Empty(j.Uncertain);
            j.Intent(0x9000, 0x1000);
        }
        Assert.EndsWith("intent 0x9000 0x\nintent 0x9000 0x1000\n", File.ReadAllText(path));
        using var again = new ReleaseJournal(path);
        Assert.Equal([(0x9000UL, 0x1000UL)], again.Uncertain);
    }

    [Theory]
    [InlineData("intent 1000 0x1000\n")]     // no 0x
    [InlineData("intent 0x 0x1000\n")]
    [InlineData("released 0x1000 0x1000\n")]
    [InlineData("intent 0x1000\n")]
    public void Reopen_MalformedLines_Ignored(string text)
    {
        var path = _dir.File("journal");
        File.WriteAllText(path, text);
        using var j = new ReleaseJournal(path);
        Assert.Empty(j.Intended);
        Assert.Empty(j.Done);
    }

    [Fact]
    public void Journal_LineCutShortByAKill_SkippedAndTheNextRecordStartsItsOwnLine()
    {
        File.WriteAllText(_dir.File("j"), "intent 0x80000000 0x100000\ndone 0x8000");
        using (var journal = new ReleaseJournal(_dir.File("j")))
        {
            Assert.Single(journal.Intended);
            Assert.Empty(journal.Done);
            journal.Completed(0x80000000, 0x100000);
        }
        using var again = new ReleaseJournal(_dir.File("j"));
        Assert.Contains((0x80000000UL, 0x100000UL), again.Done);
    }
}
