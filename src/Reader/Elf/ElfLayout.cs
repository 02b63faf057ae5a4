namespace HvDumpKit.Reader.Elf;

/// <summary>Byte offsets of Elf32/Elf64 header fields (include/uapi/linux/elf.h).</summary>
public static class ElfLayout
{
    public const int EI_NIDENT = 16;
    public const int EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6;
    public const byte ELFCLASS32 = 1, ELFCLASS64 = 2;
    public const byte ELFDATA2LSB = 1, ELFDATA2MSB = 2;
    public const ushort ET_CORE = 4;
    public const ushort PN_XNUM = 0xFFFF;
    public const uint PT_NULL = 0, PT_LOAD = 1, PT_NOTE = 4;

    public const int E_TYPE = 16, E_MACHINE = 18, E_VERSION = 20;

    /// <summary>Elf64_Ehdr: e_entry 24, e_phoff 32, e_shoff 40, e_flags 48, e_ehsize 52 …</summary>
    public static class Elf64
    {
        public const int E_ENTRY = 24, E_PHOFF = 32, E_SHOFF = 40, E_FLAGS = 48, E_EHSIZE = 52,
            E_PHENTSIZE = 54, E_PHNUM = 56, E_SHENTSIZE = 58, E_SHNUM = 60, E_SHSTRNDX = 62;
        public const int EhdrSize = 64;
        public const int PhdrSize = 56;
        public const int ShdrSize = 64;
        public const int P_TYPE = 0, P_FLAGS = 4, P_OFFSET = 8, P_VADDR = 16, P_PADDR = 24, P_FILESZ = 32, P_MEMSZ = 40, P_ALIGN = 48;
        public const int SH_INFO = 44;
    }

    /// <summary>Elf32_Ehdr: e_entry 24, e_phoff 28, e_shoff 32, e_flags 36, e_ehsize 40 …</summary>
    public static class Elf32
    {
        public const int E_ENTRY = 24, E_PHOFF = 28, E_SHOFF = 32, E_FLAGS = 36, E_EHSIZE = 40,
            E_PHENTSIZE = 42, E_PHNUM = 44, E_SHENTSIZE = 46, E_SHNUM = 48, E_SHSTRNDX = 50;
        public const int EhdrSize = 52;
        public const int PhdrSize = 32;
        public const int ShdrSize = 40;
        public const int P_TYPE = 0, P_OFFSET = 4, P_VADDR = 8, P_PADDR = 12, P_FILESZ = 16, P_MEMSZ = 20, P_FLAGS = 24, P_ALIGN = 28;
        public const int SH_INFO = 28;
    }
}
