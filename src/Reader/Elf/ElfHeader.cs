namespace HvDumpKit.Reader.Elf;

/// <summary>Elf32_Ehdr / Elf64_Ehdr, widened to 64-bit fields. PhNum is the real count (PN_XNUM resolved).</summary>
public sealed record ElfHeader(
    bool Is64Bit,
    ByteOrder ByteOrder,
    ushort Type,
    Machine Machine,
    ulong PhOff,
    ulong ShOff,
    uint Flags,
    ushort EhSize,
    ushort PhEntSize,
    uint PhNum,
    ushort ShNum,
    bool UsesPnXnum)
{
    public int PhdrSize => Is64Bit ? ElfLayout.Elf64.PhdrSize : ElfLayout.Elf32.PhdrSize;
    public int EhdrSize => Is64Bit ? ElfLayout.Elf64.EhdrSize : ElfLayout.Elf32.EhdrSize;
}

/// <summary>Elf64_Phdr / Elf32_Phdr. HeaderOffset is where this header sits in the file.</summary>
public readonly record struct ProgramHeader(
    uint Type, uint Flags, ulong FileOffset, ulong VirtualAddress, ulong PhysicalAddress,
    ulong FileSize, ulong MemorySize, ulong Align, long HeaderOffset)
{
    public bool IsLoad => Type == ElfLayout.PT_LOAD;
    public bool IsNote => Type == ElfLayout.PT_NOTE;
}
