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
    // Parts of units given back early (excluded PFNs), as address ranges: the rest goes when durable.
    private readonly List<(ulong Start, ulong End)>[] _early = units.Select(_ => new List<(ulong, ulong)>()).ToArray();

    private bool _excludedStated;

    /// <summary>Set once the CPU and HPTE areas are copied to their own files and synced.</summary>
    public bool AreasSaved { get; set; }

    /// <summary>Excluded runs shorter than this are not released early (each release is a write and a journal record).</summary>
    public ulong MinEarlyPages { get; init; } = 16;

    /// <summary>
    /// The dump level's exclusions are final and the bitmaps that say so are durable: give back
    /// every excluded run of a DUMP unit now, journaled as one batch.
    /// </summary>
    public void ExcludedFinal(IEnumerable<HvDumpKit.Reader.PfnRange> excluded, int pageSize)
    {
        // Once per save: a resumed run states the exclusions before releasing anything, and its
        // writer states them again.
        if (_excludedStated) return;
        _excludedStated = true;
        if (!sink.PerRange || ReleaseError is not null) return;
        ulong ps = (ulong)pageSize;
        var batch = new List<(int Unit, ulong Address, ulong Size)>();
        var order = Enumerable.Range(0, units.Count).Where(i => units[i].HoldsDumpData).OrderBy(i => units[i].FirstPfn).ToList();
        foreach (var r in excluded)
        {
            if (r.Count < MinEarlyPages) continue;
            foreach (int i in order)
            {
                var u = units[i];
                if (u.EndPfn <= r.Start || u.FirstPfn >= r.End) continue;
                // Only units whose pages line up with PFNs (an unaligned copy straddles two PFNs per page).
                ulong srcStart = u.FirstPfn * ps;
                if (u.Address % ps != 0 || u.Size % ps != 0 || u.Size != (u.EndPfn - u.FirstPfn) * ps) continue;
                ulong from = Math.Max(r.Start, u.FirstPfn), to = Math.Min(r.End, u.EndPfn);
                if (to - from < MinEarlyPages) continue;
                batch.Add((i, u.Address + (from * ps - srcStart), (to - from) * ps));
            }
        }
        if (batch.Count == 0) return;
        var keys = batch.Select(b => (b.Address, b.Size)).Where(k => journal is null || !journal.Intended.Contains(k)).ToList();
        journal?.Intent(keys);
        var done = new List<(ulong, ulong)>();
        foreach (var (i, a, size) in batch)
        {
            var part = units[i].Slice(a, a + size, ps);
            // an earlier run's
            if (journal is not null && journal.Done.Contains((a, size))) { _early[i].Add((a, a + size)); Count(part, size); continue; }
            if (!keys.Contains((a, size)))
            {
                // Intended by an earlier run, completion unknown: never again, and not given back by the rest of its unit either.
                _early[i].Add((a, a + size));
                SkippedUncertain.Add(part);
                continue;
            }
            try { sink.Release(a, size); }
            catch (IOException ex) { ReleaseError = $"release of 0x{a:x}+0x{size:x} failed: {ex.Message}"; break; }
            _early[i].Add((a, a + size));
            done.Add((a, size));
            Count(part, size);
        }
        journal?.Completed(done);
    }

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
            // CPU and HPTE areas once their copies are durable — and the PFNs they occupy, should the
            // vmcore hold them too, as for any other range.
            bool ready = complete || ((u.HoldsDumpData || AreasSaved) && u.EndPfn <= watermark);
            if (!ready) continue;
            _released[i] = true;
            foreach (var part in Remaining(u, _early[i]))
            {
                var key = (part.Address, part.Size);
                if (journal is not null && journal.Done.Contains(key)) { Count(part, part.Size); continue; }      // done in an earlier run
                if (journal is not null && journal.Intended.Contains(key)) { SkippedUncertain.Add(part); continue; } // never twice
                journal?.Intent(part.Address, part.Size);
                try { sink.Release(part.Address, part.Size); }
                catch (IOException ex)
                {
                    // Unknown whether the kernel took it: the intent stays without completion.
                    ReleaseError = $"release of 0x{part.Address:x}+0x{part.Size:x} failed: {ex.Message}";
                    SkippedUncertain.Add(part);
                    return;
                }
                journal?.Completed(part.Address, part.Size);
                Count(part, part.Size);
            }
        }
    }

    /// <summary>The whole dump is durable: per-range sinks release the rest, FADump releases everything.</summary>
    public void Finish()
    {
        Durable(ulong.MaxValue, complete: true);
        if (!sink.PerRange && ReleaseError is null)
        {
            sink.ReleaseAll();
            foreach (var u in units) Count(u, u.Size);
        }
    }

    /// <summary>What is left of a unit after its early releases, as whole pieces.</summary>
    private static IEnumerable<ReleaseUnit> Remaining(ReleaseUnit u, List<(ulong Start, ulong End)> early)
    {
        if (early.Count == 0) { yield return u; yield break; }
        ulong ps = u.Size / (u.EndPfn - u.FirstPfn); // early releases happen only on PFN-aligned units
        ulong at = u.Address;
        foreach (var (s, e) in early.OrderBy(x => x.Start))
        {
            if (s > at) yield return u.Slice(at, s, ps);
            at = Math.Max(at, e);
        }
        if (at < u.End) yield return u.Slice(at, u.End, ps);
    }

    private void Count(ReleaseUnit u, ulong size)
    {
        Released.Add(u);
        BytesReleased += size;
        Curve.Add((Math.Round(_clock.Elapsed.TotalSeconds, 3), BytesReleased));
    }
}
