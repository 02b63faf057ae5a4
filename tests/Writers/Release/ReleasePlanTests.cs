using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

public sealed class ReleasePlanTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DesignExample_AlignedInwardNoByteTwiceBootCopyHoldsPfnZero()
    {
        var map = RegionMap.Parse("CPU:0x177fee000-0x10000: HPTE:0x177ffe020-0x1000: DUMP:0x177fff020-0x10000000, 0x10000000-0x16F1D370A");
        var units = ReleasePlan.Build(map, 4096, chunkBytes: 1UL << 40);
        foreach (var u in units)
        {
            Assert.Equal(0UL, u.Address % 4096);
            Assert.Equal(0UL, u.Size % 4096);
        }
        var sorted = units.OrderBy(u => u.Address).ToList();
        for (int i = 1; i < sorted.Count; i++) Assert.True(sorted[i - 1].End <= sorted[i].Address, "overlap");
        // HPTE 0x177ffe020+0x1000 rounds inward to nothing: no page of it is whole.
        Assert.DoesNotContain(units, u => u.Kind == RegionKind.Hpte);
        var boot = units.Single(u => u.Kind == RegionKind.Dump && u.Address == 0x177fff000 + 0x1000);
        // The copy is not page aligned: its first whole page holds physical 0xfe0–0x1fdf, parts of PFNs 0 and 1,
        // so both must be durable before that page is released.
        Assert.Equal((0UL, 2UL), (boot.FirstPfn, (0xfe0 + 0x1000 + 4095) / 4096UL));
        // The second DUMP range loses what CPU and the boot copy claimed.
        var rest = units.Where(u => u.Kind == RegionKind.Dump && u.Address >= 0x10000000 && u.Address < 0x177fee000).ToList();
        Assert.Equal(0x177fee000UL - 0x10000000, (ulong)rest.Sum(u => (long)u.Size));
        Assert.Equal(RegionKind.Cpu, units[^1].Kind); // CPU and HPTE after the dump data
    }

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
