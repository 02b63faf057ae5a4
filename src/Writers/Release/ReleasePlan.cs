using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;

namespace HvDumpKit.Writers.Release;

/// <summary>
/// One write to the release file: the region map's own address range (page aligned), and the PFNs
/// of the dumped machine it holds — which must be durable (or excluded) before it is written.
/// For the boot-memory copy those are PFNs from 0, not the copy's address.
/// </summary>
public sealed record ReleaseUnit(RegionKind Kind, ulong Address, ulong Size, ulong FirstPfn, ulong EndPfn)
{
    public ulong End => Address + Size;
    public bool HoldsDumpData => Kind == RegionKind.Dump || Kind == RegionKind.Reserved;

    /// <summary>The part [start, end) of a PFN-aligned unit (its pages line up with PFNs), with the PFNs it holds.</summary>
    public ReleaseUnit Slice(ulong start, ulong end, ulong pageSize) =>
        this with
        {
            Address = start,
            Size = end - start,
            FirstPfn = FirstPfn + (start - Address) / pageSize,
            EndPfn = FirstPfn + (end - Address) / pageSize
        };
}

/// <summary>
/// Turns a region map into release units: page-aligned inward, every byte at most once (the
/// design example's second DUMP range overlaps the CPU, HPTE and first DUMP areas), cut into
/// chunks so memory comes back during the dump, in the order their PFNs are written.
/// </summary>
public static class ReleasePlan
{
    public static List<ReleaseUnit> Build(RegionMap map, int pageSize, ulong chunkBytes = 64UL << 20)
    {
        ulong ps = (ulong)pageSize;
        var claimed = new List<(ulong Start, ulong End)>();
        var units = new List<ReleaseUnit>();
        foreach (var r in map.Regions)
        {
            ulong start = (r.Address + ps - 1) / ps * ps, end = r.End / ps * ps;
            if (end <= start) continue;
            foreach (var (s, e) in Unclaimed(start, end, claimed))
            {
                for (ulong at = s; at < e; at += chunkBytes)
                {
                    ulong size = Math.Min(chunkBytes, e - at);
                    ulong src = r.SourceAddress + (at - r.Address);
                    units.Add(new ReleaseUnit(r.Kind, at, size, src / ps, (src + size + ps - 1) / ps));
                }
            }
            claimed.Add((start, end));
        }
        // Dump data in the order the writer makes it durable; CPU and HPTE areas after it.
        return units.OrderBy(u => u.HoldsDumpData ? 0 : 1).ThenBy(u => u.EndPfn).ToList();
    }

    private static IEnumerable<(ulong, ulong)> Unclaimed(ulong start, ulong end, List<(ulong Start, ulong End)> claimed)
    {
        var pieces = new List<(ulong, ulong)> { (start, end) };
        foreach (var (cs, ce) in claimed)
        {
            var next = new List<(ulong, ulong)>();
            foreach (var (s, e) in pieces)
            {
                if (ce <= s || cs >= e) { next.Add((s, e)); continue; }
                if (cs > s) next.Add((s, cs));
                if (ce < e) next.Add((ce, e));
            }
            pieces = next;
        }
        return pieces;
    }
}
