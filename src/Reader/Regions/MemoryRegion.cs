namespace HvDumpKit.Reader.Regions;

/// <summary>What a reserved region holds, in the region map's own labels.</summary>
public enum RegionKind { Cpu, Hpte, Dump, Reserved }

/// <summary>
/// One range of the region map: Address and Size as written (the release_region pairs are
/// address and length, not start–end). For the boot-memory copy, SourceAddress is the physical
/// address of the memory it preserves (0 for the real-mode region), else equal to Address.
/// </summary>
public sealed record MemoryRegion(RegionKind Kind, ulong Address, ulong Size, ulong SourceAddress, int Column)
{
    public ulong End => Address + Size;
    public string Label => Kind switch { RegionKind.Cpu => "CPU", RegionKind.Hpte => "HPTE", RegionKind.Dump => "DUMP", _ => "RESERVED" };
    /// <summary>fadump_region's line (1-based; Column is then within the line); 0 for the one-line release_region.</summary>
    public int Line { get; init; }
    /// <summary>fadump_region's "Dumped:" count: the bytes the firmware copied (0 until a crash); null where the map has none.</summary>
    public ulong? Dumped { get; init; }
    /// <summary>Where the region is written, for messages.</summary>
    public string Where => Line > 0 ? $"line {Line}" : $"column {Column}";
}
