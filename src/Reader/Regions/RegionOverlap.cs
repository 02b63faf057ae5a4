namespace HvDumpKit.Reader.Regions;

/// <summary>Overlapping non-empty regions of a map, each pair once, as warnings (the map is parsed as written).</summary>
public static class RegionOverlap
{
    public static IEnumerable<string> Warnings(IReadOnlyList<MemoryRegion> regions)
    {
        var sorted = regions.OrderBy(r => r.Address).ToList();
        for (int i = 1; i < sorted.Count; i++)
            for (int j = 0; j < i; j++)
                if (sorted[j].End > sorted[i].Address && sorted[i].Size > 0 && sorted[j].Size > 0)
                    yield return $"{sorted[i].Label} region 0x{sorted[i].Address:x}+0x{sorted[i].Size:x} ({sorted[i].Where}) overlaps " +
                                 $"{sorted[j].Label} region 0x{sorted[j].Address:x}+0x{sorted[j].Size:x} ({sorted[j].Where})";
    }
}
