using HvDumpKit.Reader.IO;

namespace HvDumpKit.Reader.Elf;

/// <summary>
/// Decodes and validates the ELF header and program header table ourselves, before any of it
/// reaches ELFSharp: e_phoff is honoured and e_ehsize is not trusted (QEMU 7.2 writes 8),
/// PN_XNUM is resolved from section header 0, and every count is checked against the file
/// length and DumpLimits before anything is allocated.
/// </summary>
public static class ElfHeaderReader
{
    public static bool HasElfMagic(ReadOnlySpan<byte> start) =>
        start.Length >= 4 && start[0] == 0x7F && start[1] == (byte)'E' && start[2] == (byte)'L' && start[3] == (byte)'F';

    public static ElfHeader ReadHeader(IO.IRandomAccessInput input, DumpLimits limits)
    {
        Span<byte> e = stackalloc byte[ElfLayout.Elf64.EhdrSize];
        e.Clear();
        int got = input.ReadAt(0, e);
        if (got < ElfLayout.EI_NIDENT || !HasElfMagic(e))
            throw DumpFormatException.Field(0, "e_ident", "is not an ELF header");
        byte cls = e[ElfLayout.EI_CLASS];
        if (cls != ElfLayout.ELFCLASS32 && cls != ElfLayout.ELFCLASS64)
            throw DumpFormatException.Field(ElfLayout.EI_CLASS, "e_ident[EI_CLASS]", cls, "is neither ELFCLASS32 nor ELFCLASS64");
        byte data = e[ElfLayout.EI_DATA];
        if (data != ElfLayout.ELFDATA2LSB && data != ElfLayout.ELFDATA2MSB)
            throw DumpFormatException.Field(ElfLayout.EI_DATA, "e_ident[EI_DATA]", data, "is neither ELFDATA2LSB nor ELFDATA2MSB");
        bool is64 = cls == ElfLayout.ELFCLASS64;
        var o = data == ElfLayout.ELFDATA2MSB ? ByteOrder.Big : ByteOrder.Little;
        int ehdrSize = is64 ? ElfLayout.Elf64.EhdrSize : ElfLayout.Elf32.EhdrSize;
        if (got < ehdrSize)
            throw DumpFormatException.Field(got, "Elf_Ehdr", $"is truncated: needs {ehdrSize} bytes, file has {got}");

        ushort type = Endian.U16(e[ElfLayout.E_TYPE..], o);
        if (type != ElfLayout.ET_CORE)
            throw DumpFormatException.Field(ElfLayout.E_TYPE, "e_type", type, "is not ET_CORE (4): not a core dump");
        var machine = (Machine)Endian.U16(e[ElfLayout.E_MACHINE..], o);

        ulong phoff, shoff; uint flags; ushort ehsize, phentsize, phnum16, shentsize, shnum;
        if (is64)
        {
            phoff = Endian.U64(e[ElfLayout.Elf64.E_PHOFF..], o);
            shoff = Endian.U64(e[ElfLayout.Elf64.E_SHOFF..], o);
            flags = Endian.U32(e[ElfLayout.Elf64.E_FLAGS..], o);
            ehsize = Endian.U16(e[ElfLayout.Elf64.E_EHSIZE..], o);
            phentsize = Endian.U16(e[ElfLayout.Elf64.E_PHENTSIZE..], o);
            phnum16 = Endian.U16(e[ElfLayout.Elf64.E_PHNUM..], o);
            shentsize = Endian.U16(e[ElfLayout.Elf64.E_SHENTSIZE..], o);
            shnum = Endian.U16(e[ElfLayout.Elf64.E_SHNUM..], o);
        }
        else
        {
            phoff = Endian.U32(e[ElfLayout.Elf32.E_PHOFF..], o);
            shoff = Endian.U32(e[ElfLayout.Elf32.E_SHOFF..], o);
            flags = Endian.U32(e[ElfLayout.Elf32.E_FLAGS..], o);
            ehsize = Endian.U16(e[ElfLayout.Elf32.E_EHSIZE..], o);
            phentsize = Endian.U16(e[ElfLayout.Elf32.E_PHENTSIZE..], o);
            phnum16 = Endian.U16(e[ElfLayout.Elf32.E_PHNUM..], o);
            shentsize = Endian.U16(e[ElfLayout.Elf32.E_SHENTSIZE..], o);
            shnum = Endian.U16(e[ElfLayout.Elf32.E_SHNUM..], o);
        }
        int phdrSize = is64 ? ElfLayout.Elf64.PhdrSize : ElfLayout.Elf32.PhdrSize;
        long phentAt = is64 ? ElfLayout.Elf64.E_PHENTSIZE : ElfLayout.Elf32.E_PHENTSIZE;
        long phnumAt = is64 ? ElfLayout.Elf64.E_PHNUM : ElfLayout.Elf32.E_PHNUM;
        long phoffAt = is64 ? ElfLayout.Elf64.E_PHOFF : ElfLayout.Elf32.E_PHOFF;
        if (phnum16 == 0)
            throw DumpFormatException.Field(phnumAt, "e_phnum", 0, "is zero: a vmcore needs PT_NOTE and PT_LOAD headers");
        if (phentsize != phdrSize)
            throw DumpFormatException.Field(phentAt, "e_phentsize", phentsize, $"is not {phdrSize}");

        uint phnum = phnum16;
        bool xnum = false;
        if (phnum16 == ElfLayout.PN_XNUM)
        {
            // Extended numbering: the real count is sh_info of section header 0.
            int shdrSize = is64 ? ElfLayout.Elf64.ShdrSize : ElfLayout.Elf32.ShdrSize;
            long shoffAt = is64 ? ElfLayout.Elf64.E_SHOFF : ElfLayout.Elf32.E_SHOFF;
            if (shoff == 0 || shoff > (ulong)input.Length || (ulong)input.Length - shoff < (ulong)shdrSize)
                throw DumpFormatException.Field(shoffAt, "e_shoff", shoff, "does not point at section header 0, which PN_XNUM needs");
            Span<byte> sh = stackalloc byte[shdrSize];
            int infoAt = is64 ? ElfLayout.Elf64.SH_INFO : ElfLayout.Elf32.SH_INFO;
            input.ReadExactly((long)shoff, sh, "Elf_Shdr[0]");
            phnum = Endian.U32(sh[infoAt..], o);
            xnum = true;
            if (phnum == 0)
                throw DumpFormatException.Field((long)shoff + infoAt, "sh_info", 0, "is zero: PN_XNUM gives no program headers");
        }
        if (phnum > limits.MaxProgramHeaders)
            throw DumpFormatException.Field(phnumAt, "e_phnum", phnum, $"exceeds the limit of {limits.MaxProgramHeaders} program headers");
        ulong tableBytes = (ulong)phnum * (ulong)phdrSize;
        if (phoff == 0 || phoff >= (ulong)input.Length)
            throw DumpFormatException.Field(phoffAt, "e_phoff", phoff, $"points outside the file (0x{input.Length:X} bytes)");
        if ((ulong)input.Length - phoff < tableBytes)
            throw DumpFormatException.Field(xnum ? (long)shoff : phnumAt, xnum ? "sh_info" : "e_phnum", phnum,
                $"program headers of {phdrSize} bytes at e_phoff 0x{phoff:X} run past end of file (0x{input.Length:X})");

        return new ElfHeader(is64, o, type, machine, phoff, shoff, flags, ehsize, phentsize, phnum, shnum, xnum);
    }

    /// <summary>Reads the program header table in 64 KiB pieces, never all-at-once from an untrusted count.</summary>
    public static List<ProgramHeader> ReadProgramHeaders(IO.IRandomAccessInput input, ElfHeader h)
    {
        var list = new List<ProgramHeader>((int)Math.Min(h.PhNum, 4096));
        int size = h.PhdrSize;
        var chunk = new byte[size * 1024];
        uint done = 0;
        while (done < h.PhNum)
        {
            int n = (int)Math.Min(1024, h.PhNum - done);
            long at = (long)h.PhOff + (long)done * size;
            input.ReadExactly(at, chunk.AsSpan(0, n * size), "Elf_Phdr");
            for (int i = 0; i < n; i++)
                list.Add(Decode(chunk.AsSpan(i * size, size), h, at + (long)i * size));
            done += (uint)n;
        }
        return list;
    }

    private static ProgramHeader Decode(ReadOnlySpan<byte> p, ElfHeader h, long at)
    {
        var o = h.ByteOrder;
        if (h.Is64Bit)
        {
            return new ProgramHeader(
                Endian.U32(p[ElfLayout.Elf64.P_TYPE..], o), Endian.U32(p[ElfLayout.Elf64.P_FLAGS..], o),
                Endian.U64(p[ElfLayout.Elf64.P_OFFSET..], o), Endian.U64(p[ElfLayout.Elf64.P_VADDR..], o),
                Endian.U64(p[ElfLayout.Elf64.P_PADDR..], o), Endian.U64(p[ElfLayout.Elf64.P_FILESZ..], o),
                Endian.U64(p[ElfLayout.Elf64.P_MEMSZ..], o), Endian.U64(p[ElfLayout.Elf64.P_ALIGN..], o), at);
        }
        return new ProgramHeader(
            Endian.U32(p[ElfLayout.Elf32.P_TYPE..], o), Endian.U32(p[ElfLayout.Elf32.P_FLAGS..], o),
            Endian.U32(p[ElfLayout.Elf32.P_OFFSET..], o), Endian.U32(p[ElfLayout.Elf32.P_VADDR..], o),
            Endian.U32(p[ElfLayout.Elf32.P_PADDR..], o), Endian.U32(p[ElfLayout.Elf32.P_FILESZ..], o),
            Endian.U32(p[ElfLayout.Elf32.P_MEMSZ..], o), Endian.U32(p[ElfLayout.Elf32.P_ALIGN..], o), at);
    }

    /// <summary>Where a program header field lies within its Elf64_Phdr or Elf32_Phdr.</summary>
    public static int FieldOffset(ElfHeader h, PhdrField field) => (h.Is64Bit, field) switch
    {
        (true, PhdrField.p_offset) => ElfLayout.Elf64.P_OFFSET,
        (true, PhdrField.p_filesz) => ElfLayout.Elf64.P_FILESZ,
        (true, PhdrField.p_memsz) => ElfLayout.Elf64.P_MEMSZ,
        (false, PhdrField.p_offset) => ElfLayout.Elf32.P_OFFSET,
        (false, PhdrField.p_filesz) => ElfLayout.Elf32.P_FILESZ,
        (false, PhdrField.p_memsz) => ElfLayout.Elf32.P_MEMSZ,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a program header field"),
    };
}

/// <summary>Program header fields an error can name, by their C names (Elf64_Phdr), as DumpFormatException prints them.</summary>
public enum PhdrField { p_offset, p_filesz, p_memsz }
