using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using Xunit;

namespace HvDumpKit.Tests.Writers;

/// <summary>Threads and batch buffers from MemAvailable: a small capture kernel gets fewer of both.</summary>
public sealed class MemoryPlanTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(24L << 30, 2, 2, 2L << 20)]     // a big machine: every core, the 2 MiB default
    [InlineData(100L << 20, 8, 6, 1600L << 10)] // 100 MiB left in a capture kernel: 6 workers, 1.56 MiB
    [InlineData(20L << 20, 4, 1, 320L << 10)]   // almost nothing left: one worker, a small batch
    [InlineData(1L << 20, 4, 1, 256L << 10)]    // never below one worker and 256 KiB
    public void SizedFromAvailableMemory(long available, int cores, int threads, long budget)
    {
        Assert.Equal(threads, MemoryPlan.Threads(available, cores));
        Assert.Equal(budget, MemoryPlan.Budget(available));
    }

    [Fact]
    public void Unknown_AllCoresAndTheDefault()
    {
        Assert.Equal(3, MemoryPlan.Threads(null, 3));
        Assert.Equal(WriterOptions.DefaultMemoryBudget, MemoryPlan.Budget(null));
        Assert.Null(MemoryPlan.Available(_dir.File("missing")));
    }

    [Fact]
    public void ReadsMemAvailable()
    {
        var f = _dir.File("meminfo");
        File.WriteAllText(f, "MemTotal:       262144 kB\nMemFree:         10000 kB\nMemAvailable:   150000 kB\n");
        Assert.Equal(150000L * 1024, MemoryPlan.Available(f));
    }
}
