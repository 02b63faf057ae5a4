using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

/// <summary>Releases units once the pages they preserve are durable, journalling intent first, never twice across a resume.</summary>
public sealed class ReleaseCoordinatorTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Coordinator_ReleasesOnlyBelowTheWatermarkAndJournalsIntentFirst()
    {
        var map = RegionMap.Parse("DUMP:0x80000000-0x200000, 0x200000-0x200000");
        var units = ReleasePlan.Build(map, 4096, chunkBytes: 0x100000);
        var sink = new RecordingSink();
        using var journal = new ReleaseJournal(_dir.File("j"));
        var c = new ReleaseCoordinator(units, sink, journal);
        c.Durable(0x100, complete: false); // PFNs below 0x100 (1 MiB) are durable
        Assert.Equal([(0x80000000UL, 0x100000UL)], sink.Calls);
        c.Durable(0x300, complete: false);
        Assert.Equal(3, sink.Calls.Count);
        c.Finish();
        Assert.Equal(4, sink.Calls.Count);
        var lines = File.ReadAllLines(_dir.File("j"));
        Assert.Equal("intent 0x80000000 0x100000", lines[0]);
        Assert.Equal("done 0x80000000 0x100000", lines[1]);
    }

    [Fact]
    public void Journal_IntentWithoutDone_NeverWrittenAgain()
    {
        File.WriteAllText(_dir.File("j"), "intent 0x80000000 0x100000\ndone 0x80000000 0x100000\nintent 0x80100000 0x100000\n");
        var map = RegionMap.Parse("DUMP:0x80000000-0x200000, 0x200000-0x100000");
        var units = ReleasePlan.Build(map, 4096, chunkBytes: 0x100000);
        var sink = new RecordingSink();
        using var journal = new ReleaseJournal(_dir.File("j"));
        var c = new ReleaseCoordinator(units, sink, journal);
        c.Finish();
        Assert.Equal([(0x200000UL, 0x100000UL)], sink.Calls);
        Assert.Equal(0x80100000UL, Assert.Single(c.SkippedUncertain).Address);
    }

    /// <summary>
    /// A resumed save: an earlier run gave back two excluded runs early, one recorded done and one
    /// only intended. Neither is released again, alone or as part of its unit.
    /// </summary>
    [Fact]
    public void Resumed_EarlyReleasedParts_NeverReleasedAgainWithTheirUnit()
    {
        File.WriteAllText(_dir.File("j"), "intent 0x80010000 0x20000\nintent 0x80100000 0x20000\ndone 0x80010000 0x20000\n");
        var map = RegionMap.Parse("DUMP:0x80000000-0x200000, 0x200000-0x200000");
        var units = ReleasePlan.Build(map, 4096, chunkBytes: 0x200000);
        var sink = new RecordingSink();
        using var journal = new ReleaseJournal(_dir.File("j"));
        var c = new ReleaseCoordinator(units, sink, journal);
        PfnRange[] excluded = [new(0x10, 0x30), new(0x100, 0x120)];
        c.ExcludedFinal(excluded, 4096);
        c.ExcludedFinal(excluded, 4096); // stated again by the writer: no effect
        Assert.Empty(sink.Calls);
        c.Finish();
        foreach (var (a, size) in sink.Calls)
        {
            Assert.False(a < 0x80030000 && 0x80010000 < a + size, $"0x{a:x}+0x{size:x} overlaps the done early release");
            Assert.False(a < 0x80120000 && 0x80100000 < a + size, $"0x{a:x}+0x{size:x} overlaps the uncertain early release");
        }
        Assert.Contains(c.SkippedUncertain, u => u.Address == 0x80100000);
        ulong released = sink.Calls.Aggregate(0UL, (t, r) => t + r.Item2);
        Assert.Equal(0x400000UL - 0x40000, released);
    }

    private sealed class RecordingSink : IReleaseSink
    {
        public List<(ulong, ulong)> Calls { get; } = new();
        public bool PerRange => true;
        public void Release(ulong address, ulong size) => Calls.Add((address, size));
        public void ReleaseAll() { }
        public void Dispose() { }
    }
}
