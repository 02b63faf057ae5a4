using HvDumpKit.Reader.Elf;

namespace HvDumpKit.Reader.Regions;

/// <summary>Which vmcore file bytes hold a region's memory.</summary>
public sealed record RegionExtent(ulong PhysStart, ulong Length, ulong? FileOffset);

public static class RegionRelation
{
    /// <summary>
    /// The map's regions and, for fadump_region's "Memory above X is reserved for saving crash
    /// dump", the reserved range [X, end of the dump's memory): what release_mem gives back, which
    /// shows which of it the dump holds in place (FADump's own areas below the second PT_LOAD are not).
    /// </summary>
    public static IEnumerable<MemoryRegion> RegionsOf(RegionMap map, IDumpSource source)
    {
        foreach (var r in map.Regions) yield return r;
        if (map.ReservedAbove is not ulong above) yield break;
        ulong end = source.Facts.Elf is { } elf && elf.Extents.Count > 0
            ? elf.Extents.Max(e => e.PhysEnd)
            : source.MaxPfn * (ulong)source.Header.PageSize;
        int line = map.OtherLines.FirstOrDefault(l => l.Text.StartsWith("Memory above", StringComparison.Ordinal))?.Line ?? 0;
        yield return new MemoryRegion(RegionKind.Reserved, above, end > above ? end - above : 0, above, 1) { Line = line };
    }

    /// <summary>
    /// The physical memory a region preserves (its SourceAddress: the boot-memory copy preserves
    /// physical 0), cut into pieces by where the dump saves it. Pieces the dump does not hold get
    /// a null FileOffset. Non-ELF sources say only whether pages are present.
    /// </summary>
    public static IReadOnlyList<RegionExtent> Relate(MemoryRegion region, IDumpSource source)
    {
        var result = new List<RegionExtent>();
        // A zero-length area (fadump_region's HPTE area on a radix MMU) preserves nothing.
        if (region.Size == 0) return result;
        ulong start = region.SourceAddress, end = region.SourceAddress + region.Size;
        if (source.Facts.Elf is { } elf)
        {
            ulong at = start;
            foreach (var e in elf.Extents.Where(e => e.PhysEnd > start && e.PhysStart < end))
            {
                if (e.PhysStart > at) result.Add(new RegionExtent(at, e.PhysStart - at, null));
                ulong from = Math.Max(at, e.PhysStart), to = Math.Min(end, e.PhysEnd);
                ulong fileTo = Math.Min(to, e.FileBackedEnd);
                if (fileTo > from) result.Add(new RegionExtent(from, fileTo - from, e.FileOffset + (from - e.PhysStart)));
                if (to > Math.Max(from, fileTo)) result.Add(new RegionExtent(Math.Max(from, fileTo), to - Math.Max(from, fileTo), null));
                at = to;
            }
            if (at < end) result.Add(new RegionExtent(at, end - at, null));
            return result;
        }
        ulong ps = (ulong)source.Header.PageSize;
        ulong covered = 0;
        foreach (var r in source.PresentRanges())
        {
            ulong a = Math.Max(r.Start * ps, start), b = Math.Min(r.End * ps, end);
            if (b > a) covered += b - a;
        }
        result.Add(new RegionExtent(start, covered, null));
        return result;
    }
}
