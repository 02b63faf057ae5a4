using ELFSharp.ELF;

namespace HvDumpKit.Reader.Elf;

/// <summary>
/// The only place that touches ELFSharp (STYLE.md). ELFSharp loops for seconds on some
/// ELF32 shapes with e_shnum=0, invents 64 sections when e_shoff=0 (as the kernel writes),
/// cannot read segments over 2 GiB, lacks PN_XNUM and closes a borrowed stream on failure.
/// So it never sees the file: we hand it a small, already-validated copy of the headers
/// (ELF header, at most 64 program headers with no file data, one SHT_NULL section) that it
/// owns, and use it to decode the identity fields, which must agree with our own decoding.
/// </summary>
public static class ElfSharpAdapter
{
    private const int MaxPhdrsShown = 64;

    public sealed record ElfIdentity(bool Is64Bit, ByteOrder ByteOrder, ushort Type, ushort Machine, int SegmentCount, int LoadCount,
        int NoteCount);

    public static ElfIdentity Decode(ElfHeader h, IReadOnlyList<ProgramHeader> phdrs)
    {
        byte[] image = BuildSanitizedImage(h, phdrs);
        var id = ReadWithElfSharp(image);
        if (id.Is64Bit != h.Is64Bit || id.ByteOrder != h.ByteOrder || id.Type != h.Type || id.Machine != (ushort)h.Machine)
            throw DumpFormatException.Field(0, "e_ident", "decodes differently in the ELF library than in our reader");
        return id;
    }

    /// <summary>
    /// The ELFSharp calls alone. Whatever ELFSharp throws on a header copy it rejects is wrapped
    /// (STYLE.md: it throws IndexOutOfRange or EndOfStream on damaged input); our own code stays
    /// outside, so a bug of ours is never reported as a malformed file.
    /// </summary>
    private static ElfIdentity ReadWithElfSharp(byte[] image)
    {
        IELF? elf = null;
        bool loaded;
        bool is64;
        ELFSharp.Endianess endianess;
        ushort type, machine;
        uint[] segmentTypes;
        try
        {
            loaded = ELFReader.TryLoad(new MemoryStream(image, writable: false), shouldOwnStream: true, out elf) && elf is not null;
            if (!loaded) throw DumpFormatException.Field(0, "Elf_Ehdr", "was rejected by the ELF header decoder");
            is64 = elf!.Class == Class.Bit64;
            endianess = elf.Endianess;
            type = (ushort)elf.Type;
            machine = (ushort)elf.Machine;
            segmentTypes = [.. elf.Segments.Select(s => (uint)s.Type)];
        }
        catch (Exception ex) when (ex is not DumpFormatException)
        {
            throw new DumpFormatException(null, 0, "Elf_Ehdr", null, $"could not be decoded: {ex.GetType().Name}: {ex.Message}", ex);
        }
        finally
        {
            (elf as IDisposable)?.Dispose();
        }
        var order = endianess == ELFSharp.Endianess.BigEndian ? ByteOrder.Big : ByteOrder.Little;
        int loads = segmentTypes.Count(t => t == ElfLayout.PT_LOAD);
        int notes = segmentTypes.Count(t => t == ElfLayout.PT_NOTE);
        return new ElfIdentity(is64, order, type, machine, segmentTypes.Length, loads, notes);
    }

    private static byte[] BuildSanitizedImage(ElfHeader h, IReadOnlyList<ProgramHeader> phdrs)
    {
        int n = Math.Min(phdrs.Count, MaxPhdrsShown);
        int ehdr = h.EhdrSize, phsz = h.PhdrSize, shsz = h.Is64Bit ? ElfLayout.Elf64.ShdrSize : ElfLayout.Elf32.ShdrSize;
        var img = new byte[ehdr + n * phsz + shsz];
        var o = h.ByteOrder;
        var s = img.AsSpan();
        s[0] = 0x7F; s[1] = (byte)'E'; s[2] = (byte)'L'; s[3] = (byte)'F';
        s[ElfLayout.EI_CLASS] = h.Is64Bit ? ElfLayout.ELFCLASS64 : ElfLayout.ELFCLASS32;
        s[ElfLayout.EI_DATA] = o == ByteOrder.Big ? ElfLayout.ELFDATA2MSB : ElfLayout.ELFDATA2LSB;
        s[ElfLayout.EI_VERSION] = 1;
        Endian.W16(s[ElfLayout.E_TYPE..], h.Type, o);
        Endian.W16(s[ElfLayout.E_MACHINE..], (ushort)h.Machine, o);
        Endian.W32(s[ElfLayout.E_VERSION..], 1, o);
        int shoff = ehdr + n * phsz;
        if (h.Is64Bit)
        {
            Endian.W64(s[ElfLayout.Elf64.E_PHOFF..], (ulong)ehdr, o);
            Endian.W64(s[ElfLayout.Elf64.E_SHOFF..], (ulong)shoff, o);
            Endian.W16(s[ElfLayout.Elf64.E_EHSIZE..], (ushort)ehdr, o);
            Endian.W16(s[ElfLayout.Elf64.E_PHENTSIZE..], (ushort)phsz, o);
            Endian.W16(s[ElfLayout.Elf64.E_PHNUM..], (ushort)n, o);
            Endian.W16(s[ElfLayout.Elf64.E_SHENTSIZE..], (ushort)shsz, o);
            Endian.W16(s[ElfLayout.Elf64.E_SHNUM..], 1, o);
            for (int i = 0; i < n; i++)
            {
                var p = s.Slice(ehdr + i * phsz, phsz);
                Endian.W32(p[ElfLayout.Elf64.P_TYPE..], phdrs[i].Type, o);
                Endian.W32(p[ElfLayout.Elf64.P_FLAGS..], phdrs[i].Flags, o);
                Endian.W64(p[ElfLayout.Elf64.P_VADDR..], phdrs[i].VirtualAddress, o);
                Endian.W64(p[ElfLayout.Elf64.P_PADDR..], phdrs[i].PhysicalAddress, o);
                // p_offset/p_filesz stay 0: segment data is ours to read, never ELFSharp's.
            }
        }
        else
        {
            Endian.W32(s[ElfLayout.Elf32.E_PHOFF..], (uint)ehdr, o);
            Endian.W32(s[ElfLayout.Elf32.E_SHOFF..], (uint)shoff, o);
            Endian.W16(s[ElfLayout.Elf32.E_EHSIZE..], (ushort)ehdr, o);
            Endian.W16(s[ElfLayout.Elf32.E_PHENTSIZE..], (ushort)phsz, o);
            Endian.W16(s[ElfLayout.Elf32.E_PHNUM..], (ushort)n, o);
            Endian.W16(s[ElfLayout.Elf32.E_SHENTSIZE..], (ushort)shsz, o);
            Endian.W16(s[ElfLayout.Elf32.E_SHNUM..], 1, o);
            for (int i = 0; i < n; i++)
            {
                var p = s.Slice(ehdr + i * phsz, phsz);
                Endian.W32(p[ElfLayout.Elf32.P_TYPE..], phdrs[i].Type, o);
                Endian.W32(p[ElfLayout.Elf32.P_FLAGS..], phdrs[i].Flags, o);
                Endian.W32(p[ElfLayout.Elf32.P_VADDR..], (uint)phdrs[i].VirtualAddress, o);
                Endian.W32(p[ElfLayout.Elf32.P_PADDR..], (uint)phdrs[i].PhysicalAddress, o);
            }
        }
        return img;
    }
}
