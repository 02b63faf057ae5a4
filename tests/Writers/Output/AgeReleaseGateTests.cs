using HvDumpKit.Reader;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Output;

public sealed class AgeReleaseGateTests
{
    /// <summary>Under encryption nothing is released before the whole file is durable: then the excluded runs, then everything.</summary>
    [Fact]
    public void Defer_CheckpointsHeldBack_ExcludedThenFinalAtTheEnd()
    {
        var events = new List<string>();
        var options = AgeReleaseGate.Defer(new WriterOptions
        {
            OnDurable = wm => events.Add(wm == ulong.MaxValue ? "durable all" : $"durable {wm}"),
            OnExcludedFinal = runs => events.Add($"excluded {runs.Count()}"),
        });
        options.OnExcludedFinal!([new PfnRange(0, 16), new PfnRange(32, 64)]);
        options.OnDurable!(100);
        options.OnDurable!(200);
        Assert.Empty(events);
        options.OnDurable!(ulong.MaxValue);
        Assert.Equal(["excluded 2", "durable all"], events);
    }

    [Fact]
    public void Defer_NoCallbacks_StaysNull()
    {
        var options = AgeReleaseGate.Defer(new WriterOptions());
        Assert.Null(options.OnDurable);
        Assert.Null(options.OnExcludedFinal);
    }
}
