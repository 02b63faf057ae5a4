namespace HvDumpKit.Reader.Notes;

/// <summary>One ELF note record (Elf64_Nhdr + name + desc), located inside a NoteSet blob.</summary>
public sealed record ElfNote(string Name, uint Type, int RecordOffset, int DescOffset, int DescSize)
{
    public const uint NT_PRSTATUS = 1;
    public const uint NT_PRFPREG = 2;
    public const uint NT_PRPSINFO = 3;
    public const uint NT_TASKSTRUCT = 4;
    public const uint NT_VMCOREDD = 0x700;

    public bool IsPrStatus => Name == "CORE" && Type == NT_PRSTATUS;
    public bool IsVmcoreInfo => Name == "VMCOREINFO" && Type == 0;

    public string TypeName => (Name, Type) switch
    {
        ("CORE", NT_PRSTATUS) => "NT_PRSTATUS",
        ("CORE", NT_PRFPREG) => "NT_PRFPREG",
        ("CORE", NT_PRPSINFO) => "NT_PRPSINFO",
        ("CORE" or "SNAP", NT_TASKSTRUCT) => "NT_TASKSTRUCT",
        ("VMCOREINFO", 0) => "VMCOREINFO",
        ("QEMU", 0) => "QEMU_CPU_STATE",
        ("LINUX", NT_VMCOREDD) => "NT_VMCOREDD",
        ("ERASEINFO", 0) => "ERASEINFO",
        _ => $"type 0x{Type:X}",
    };
}
