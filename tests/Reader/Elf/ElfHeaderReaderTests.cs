using HvDumpKit.Reader;
using HvDumpKit.Reader.Elf;
using HvDumpKit.Reader.IO;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Elf;

/// <summary>The ELF header and program header table, decoded before ELFSharp sees them (elf-vmcore.md).</summary>
public sealed class ElfHeaderReaderTests
{
    private static MemoryInput Input(byte[] file) => new(file, "t.elf");

    private static ElfCoreBuilder TwoLoads(ElfCoreBuilder b) =>
        b.VmcoreInfo("PAGESIZE=4096\n").AddLoad(0x1000, new byte[4096]).AddLoad(0x10000, new byte[8192], memSize: 16384);

    [Theory]
    [InlineData(true, ByteOrder.Little, (ushort)62)]
    [InlineData(true, ByteOrder.Big, (ushort)21)]
    [InlineData(false, ByteOrder.Little, (ushort)3)]
    public void ReadHeader_ClassOrderMachine_AsBuilt(bool is64, ByteOrder order, ushort machine)
    {
        var file = TwoLoads(new ElfCoreBuilder { Is64 = is64, Order = order, Machine = machine, Flags = 2 }).Build();
        var h = ElfHeaderReader.ReadHeader(Input(file), DumpLimits.Default);
        Assert.Equal(is64, h.Is64Bit);
        Assert.Equal(order, h.ByteOrder);
        Assert.Equal((ushort)4, h.Type);
        Assert.Equal((Machine)machine, h.Machine);
        Assert.Equal(2U, h.Flags);
        Assert.Equal(3U, h.PhNum); // PT_NOTE and two PT_LOADs
        Assert.Equal(is64 ? 64UL : 52UL, h.PhOff);
        Assert.Equal(is64 ? 56 : 32, h.PhdrSize);
        Assert.Equal(is64 ? 64 : 52, h.EhdrSize);
        Assert.False(h.UsesPnXnum);
    }

    [Fact]
    public void ReadProgramHeaders_NoteThenLoads_FieldsAndHeaderOffsets()
    {
        var file = TwoLoads(new ElfCoreBuilder()).Build();
        using var input = Input(file);
        var h = ElfHeaderReader.ReadHeader(input, DumpLimits.Default);
        var ph = ElfHeaderReader.ReadProgramHeaders(input, h);
        Assert.Equal(3, ph.Count);
        Assert.True(ph[0].IsNote);
        Assert.True(ph[1].IsLoad && ph[2].IsLoad);
        Assert.Equal((0x1000UL, 4096UL, 4096UL), (ph[1].PhysicalAddress, ph[1].FileSize, ph[1].MemorySize));
        Assert.Equal((0x10000UL, 8192UL, 16384UL), (ph[2].PhysicalAddress, ph[2].FileSize, ph[2].MemorySize));
        Assert.Equal(ph[1].FileOffset + 4096, ph[2].FileOffset);
        Assert.Equal(64L + 56, ph[1].HeaderOffset);
        Assert.Equal(64L + 2 * 56, ph[2].HeaderOffset);
    }

    [Fact]
    public void ReadHeader_QemuLayout_PhOffHonouredEhSizeNotTrusted()
    {
        var file = TwoLoads(new ElfCoreBuilder { QemuLayout = true }).Build();
        var h = ElfHeaderReader.ReadHeader(Input(file), DumpLimits.Default);
        Assert.Equal((ushort)8, h.EhSize);
        Assert.Equal(64UL + 2 * 64, h.PhOff); // after two section headers
        Assert.Equal((ushort)2, h.ShNum);
        Assert.Equal(3U, h.PhNum);
    }

    [Fact]
    public void ReadHeader_PnXnum_CountFromSectionHeaderZero()
    {
        var file = TwoLoads(new ElfCoreBuilder { ForcePnXnum = true }).Build();
        using var input = Input(file);
        var h = ElfHeaderReader.ReadHeader(input, DumpLimits.Default);
        Assert.True(h.UsesPnXnum);
        Assert.Equal(3U, h.PhNum);
        Assert.Equal(3, ElfHeaderReader.ReadProgramHeaders(input, h).Count);
    }

    [Fact]
    public void ReadHeader_MoreHeadersThanTheLimit_NamesEPhnum()
    {
        var file = TwoLoads(new ElfCoreBuilder()).Build();
        var ex = Assert.Throws<DumpFormatException>(() =>
            ElfHeaderReader.ReadHeader(Input(file), DumpLimits.Default with { MaxProgramHeaders = 2 }));
        Assert.Equal("e_phnum", ex.FieldName);
        Assert.Equal(56, ex.Offset);
        Assert.Equal("0x3", ex.Value);
    }

    /// <summary>Each header field that is checked, corrupted in turn: the error names it and its offset.</summary>
    [Theory]
    [InlineData(0, 0x00, "e_ident", 0)]
    [InlineData(4, 0x03, "e_ident[EI_CLASS]", 4)]
    [InlineData(5, 0x07, "e_ident[EI_DATA]", 5)]
    [InlineData(16, 0x02, "e_type", 16)]       // ET_EXEC, not ET_CORE
    [InlineData(54, 0x20, "e_phentsize", 54)]
    [InlineData(56, 0x00, "e_phnum", 56)]
    [InlineData(32, 0x00, "e_phoff", 32)]      // e_phoff = 0
    [InlineData(56, 0x40, "e_phnum", 56)]      // 64 headers run past the end of the file
    public void ReadHeader_CorruptField_DumpFormatExceptionNamingIt(int at, byte value, string field, long offset)
    {
        var file = TwoLoads(new ElfCoreBuilder()).Build();
        if (field == "e_phnum" && value == 0x40) Array.Resize(ref file, 64 + 3 * 56);
        file[at] = value;
        var ex = Assert.Throws<DumpFormatException>(() => ElfHeaderReader.ReadHeader(Input(file), DumpLimits.Default));
        Assert.Equal(field, ex.FieldName);
        Assert.Equal(offset, ex.Offset);
    }

    [Fact]
    public void ReadHeader_TruncatedEhdr_SaysHowManyBytes()
    {
        var file = TwoLoads(new ElfCoreBuilder()).Build().AsSpan(0, 40).ToArray();
        var ex = Assert.Throws<DumpFormatException>(() => ElfHeaderReader.ReadHeader(Input(file), DumpLimits.Default));
        Assert.Equal("Elf_Ehdr", ex.FieldName);
        Assert.Contains("needs 64 bytes, file has 40", ex.Message);
    }

    [Fact]
    public void HasElfMagic_OnlyTheFourMagicBytes()
    {
        Assert.True(ElfHeaderReader.HasElfMagic([0x7F, (byte)'E', (byte)'L', (byte)'F', 9]));
        Assert.False(ElfHeaderReader.HasElfMagic([0x7F, (byte)'E', (byte)'L']));
        Assert.False(ElfHeaderReader.HasElfMagic("KDUMP   "u8));
    }

    [Theory]
    [InlineData(true, PhdrField.p_offset, 8)]
    [InlineData(true, PhdrField.p_filesz, 32)]
    [InlineData(true, PhdrField.p_memsz, 40)]
    [InlineData(false, PhdrField.p_offset, 4)]
    [InlineData(false, PhdrField.p_filesz, 16)]
    [InlineData(false, PhdrField.p_memsz, 20)]
    public void FieldOffset_ElfPhdrLayout(bool is64, PhdrField field, int offset)
    {
        var h = new ElfHeader(is64, ByteOrder.Little, 4, (Machine)62, 64, 0, 0, 64, 56, 1, 0, false);
        Assert.Equal(offset, ElfHeaderReader.FieldOffset(h, field));
    }
}
