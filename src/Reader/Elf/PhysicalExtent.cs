namespace HvDumpKit.Reader.Elf;

/// <summary>
/// A piece of physical memory described by one PT_LOAD after overlaps are resolved:
/// [PhysStart, PhysStart+MemSize) of which the first FileSize bytes are at FileOffset.
/// </summary>
public readonly record struct PhysicalExtent(ulong PhysStart, ulong MemSize, ulong FileOffset, ulong FileSize, int SegmentIndex)
{
    public ulong PhysEnd => PhysStart + MemSize;
    public ulong FileBackedEnd => PhysStart + FileSize;
}
