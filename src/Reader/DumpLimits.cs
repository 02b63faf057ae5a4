namespace HvDumpKit.Reader;

/// <summary>
/// Caps on counts and sizes read from untrusted input, checked before anything is allocated
/// (ClrMD's DataTargetLimits). Real vmcores stay far below them.
/// </summary>
public sealed record DumpLimits
{
    public static DumpLimits Default { get; } = new();

    /// <summary>Program headers; QEMU paging=true dumps have a few hundred, PN_XNUM allows 2^32.</summary>
    public uint MaxProgramHeaders { get; init; } = 1 << 20;
    /// <summary>Total bytes of all PT_NOTE segments; real notes are a few KiB per CPU.</summary>
    public ulong MaxNoteBytes { get; init; } = 64UL << 20;
    public int MaxNotes { get; init; } = 1 << 16;
    /// <summary>VMCOREINFO is at most one page; allow large pages.</summary>
    public int MaxVmcoreInfoBytes { get; init; } = 1 << 20;
    /// <summary>Records of a flattened stream kept in the offset map.</summary>
    public long MaxFlattenedRecords { get; init; } = 64L << 20;
    public int MaxRegionMapBytes { get; init; } = 1 << 20;
    /// <summary>
    /// Physical addresses stop at 2^52 on every architecture Linux dumps (x86_64 5-level, arm64
    /// LPA, ppc64): a PT_LOAD beyond it is garbage, not a very large machine.
    /// </summary>
    public ulong MaxPhysicalAddress { get; init; } = 1UL << 52;
    /// <summary>Kernels use 4, 16 or 64 KiB pages; every page read allocates or clears one.</summary>
    public int MaxPageSize { get; init; } = 1 << 20;
}
