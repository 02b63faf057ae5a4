using HvDumpKit.Reader.Elf;

namespace HvDumpKit.Reader.Regions;

/// <summary>Which vmcore file bytes hold a region's memory.</summary>
public sealed record RegionExtent(ulong PhysStart, ulong Length, ulong? FileOffset);

public static class RegionRelation
{
    /// <summary>
    /// The physical memory a region preserves (its SourceAddress: the boot-memory copy preserves
    /// physical 0), cut into pieces by where the dump saves it. Pieces the dump does not hold get
    /// a null FileOffset. Non-ELF sources say only whether pages are present.
    /// </summary>
    public static IReadOnlyList<RegionExtent> Relate(MemoryRegion region, IDumpSource source)
    {
        var result = new List<RegionExtent>();
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
