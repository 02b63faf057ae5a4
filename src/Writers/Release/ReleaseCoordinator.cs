using System.Diagnostics;

namespace HvDumpKit.Writers.Release;

/// <summary>
/// Durable PFN watermarks in, releases out: a unit is released once every PFN it holds is below
/// the writer's last durable watermark, with the intent journaled and synced first. Records the
/// time-to-release curve.
/// </summary>
public sealed class ReleaseCoordinator(IReadOnlyList<ReleaseUnit> units, IReleaseSink sink, ReleaseJournal? journal)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool[] _released = new bool[units.Count];

    public List<(double Seconds, ulong Bytes)> Curve { get; } = [(0, 0)];
    public ulong BytesReleased { get; private set; }
    public List<ReleaseUnit> Released { get; } = new();
    public List<ReleaseUnit> SkippedUncertain { get; } = new();
    /// <summary>Set when the release file refused a write; no release is attempted after it, the dump goes on.</summary>
    public string? ReleaseError { get; private set; }

    /// <summary>Every PFN below watermark is durable (or excluded): release what that covers.</summary>
    public void Durable(ulong watermark, bool complete)
    {
        if (!sink.PerRange || ReleaseError is not null) return;
        for (int i = 0; i < units.Count; i++)
        {
            var u = units[i];
            if (_released[i]) continue;
            bool ready = u.HoldsDumpData ? u.EndPfn <= watermark || complete : complete;
            if (!ready) continue;
            _released[i] = true;
            var key = (u.Address, u.Size);
            if (journal is not null && journal.Done.Contains(key)) { Count(u); continue; }      // done before --resume
            if (journal is not null && journal.Intended.Contains(key)) { SkippedUncertain.Add(u); continue; } // never twice
            journal?.Intent(u.Address, u.Size);
            try { sink.Release(u.Address, u.Size); }
            catch (IOException ex)
            {
                // Unknown whether the kernel took it: the intent stays without completion.
                ReleaseError = $"release of 0x{u.Address:x}+0x{u.Size:x} failed: {ex.Message}";
                SkippedUncertain.Add(u);
                return;
            }
            journal?.Completed(u.Address, u.Size);
            Count(u);
        }
    }

    /// <summary>The whole dump is durable: per-range sinks release the rest, FADump releases everything.</summary>
    public void Finish()
    {
        Durable(ulong.MaxValue, complete: true);
        if (!sink.PerRange && ReleaseError is null)
        {
            sink.ReleaseAll();
            foreach (var u in units) Count(u);
        }
    }

    private void Count(ReleaseUnit u)
    {
        Released.Add(u);
        BytesReleased += u.Size;
        Curve.Add((Math.Round(_clock.Elapsed.TotalSeconds, 3), BytesReleased));
    }
}
