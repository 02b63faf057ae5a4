using HvDumpKit.Reader;
using HvDumpKit.Reader.Elf;
using Xunit;

namespace HvDumpKit.Tests.Reader.Elf;

/// <summary>ELFSharp decodes a sanitised copy of our headers: the identity it reads, and its view capped at 64 segments.</summary>
public sealed class ElfSharpAdapterTests
{
    private static ElfHeader Header(bool is64, ByteOrder order, Machine machine, int phnum) =>
        new(is64, order, 4, machine, is64 ? 64UL : 52UL, 0, 0, is64 ? (ushort)64 : (ushort)52, is64 ? (ushort)56 : (ushort)32,
            (uint)phnum, 0, false);

    private static ProgramHeader Ph(uint type, ulong paddr, ulong fileOffset = 0x1000, ulong size = 0x1000) =>
        new(type, 7, fileOffset, paddr, paddr, size, size, 0, 0);

    [Fact]
    public void Decode_Elf64LittleX86_64_CountsNotesAndLoads()
    {
        ProgramHeader[] phdrs = [Ph(ElfLayout.PT_NOTE, 0), Ph(ElfLayout.PT_LOAD, 0), Ph(ElfLayout.PT_LOAD, 0x100000)];
        var id = ElfSharpAdapter.Decode(Header(true, ByteOrder.Little, Machine.X86_64, 3), phdrs);
        Assert.Equal(new ElfSharpAdapter.ElfIdentity(true, ByteOrder.Little, 4, 62, 3, 2, 1), id);
    }

    [Fact]
    public void Decode_Elf32BigPpc()
    {
        ProgramHeader[] phdrs = [Ph(ElfLayout.PT_NOTE, 0), Ph(ElfLayout.PT_LOAD, 0x10000)];
        var id = ElfSharpAdapter.Decode(Header(false, ByteOrder.Big, Machine.Ppc, 2), phdrs);
        Assert.Equal(new ElfSharpAdapter.ElfIdentity(false, ByteOrder.Big, 4, 20, 2, 1, 1), id);
    }

    [Fact]
    public void Decode_MoreThan64ProgramHeaders_ElfSharpSeesTheFirst64()
    {
        var phdrs = new List<ProgramHeader> { Ph(ElfLayout.PT_NOTE, 0) };
        phdrs.AddRange(Enumerable.Range(0, 99).Select(i => Ph(ElfLayout.PT_LOAD, (ulong)i << 20)));
        var id = ElfSharpAdapter.Decode(Header(true, ByteOrder.Big, Machine.Ppc64, 100), phdrs);
        Assert.Equal((64, 63, 1), (id.SegmentCount, id.LoadCount, id.NoteCount));
        Assert.Equal((true, ByteOrder.Big, (ushort)21), (id.Is64Bit, id.ByteOrder, id.Machine));
    }

    [Fact]
    public void Decode_SegmentsLargerThan2GiBAndPastAnyFile_NeverReadByElfSharp()
    {
        // ELFSharp cannot read segments over 2 GiB: the copy it gets has p_offset and p_filesz 0.
        ProgramHeader[] phdrs = [Ph(ElfLayout.PT_NOTE, 0, 1UL << 44, 0x1000), Ph(ElfLayout.PT_LOAD, 0, 1UL << 45, 3UL << 31)];
        var id = ElfSharpAdapter.Decode(Header(true, ByteOrder.Little, Machine.X86_64, 2), phdrs);
        Assert.Equal((2, 1, 1), (id.SegmentCount, id.LoadCount, id.NoteCount));
    }

    [Fact]
    public void Decode_NoProgramHeaders_NoSegments()
    {
        var id = ElfSharpAdapter.Decode(Header(true, ByteOrder.Little, Machine.AArch64, 0), []);
        Assert.Equal(new ElfSharpAdapter.ElfIdentity(true, ByteOrder.Little, 4, 183, 0, 0, 0), id);
    }
}
