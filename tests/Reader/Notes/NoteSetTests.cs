using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Notes;
using Xunit;

namespace HvDumpKit.Tests.Reader.Notes;

/// <summary>Note records walked from a PT_NOTE blob, and the blob rebuilt with a new VMCOREINFO.</summary>
public sealed class NoteSetTests
{
    /// <summary>CORE/1 (4-byte desc) at 0, VMCOREINFO/0 ("A=1") at 24, QEMU/0 (8 bytes) at 52; 80 bytes.</summary>
    private static byte[] Three(ByteOrder order) =>
    [
        .. NoteBuilder.Note("CORE", 1, [1, 2, 3, 4], order),
        .. NoteBuilder.Note("VMCOREINFO", 0, "A=1"u8, order),
        .. NoteBuilder.Note("QEMU", 0, [9, 9, 9, 9, 9, 9, 9, 9], order),
    ];

    [Fact]
    public void NoteSet_Parse_ToleratesZeroPaddingAndRejectsOverrun()
    {
        var blob = new byte[64];
        Endian.W32(blob, 5, ByteOrder.Little); Endian.W32(blob.AsSpan(4), 4, ByteOrder.Little); Endian.W32(blob.AsSpan(8), 1, ByteOrder.Little);
        "CORE"u8.CopyTo(blob.AsSpan(12));
        var set = NoteSet.Parse(blob, ByteOrder.Little, 0, DumpLimits.Default);
        Assert.Single(set.Notes);
        Endian.W32(blob.AsSpan(4), 1000, ByteOrder.Little);
        var ex = Assert.Throws<DumpFormatException>(() => NoteSet.Parse(blob, ByteOrder.Little, 0x100, DumpLimits.Default));
        Assert.Equal("n_descsz", ex.FieldName);
        Assert.Equal(0x104, ex.Offset);
    }

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Parse_RecordsWithTheirOffsets(ByteOrder order)
    {
        var set = NoteSet.Parse(Three(order), order, 0, DumpLimits.Default);
        Assert.Equal(
            [new ElfNote("CORE", 1, 0, 20, 4), new ElfNote("VMCOREINFO", 0, 24, 48, 3), new ElfNote("QEMU", 0, 52, 72, 8)],
            set.Notes);
        Assert.Equal(order, set.ByteOrder);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, set.Desc(set.Notes[0]).ToArray());
        Assert.Equal("A=1", Encoding.ASCII.GetString(set.Desc(set.VmcoreInfoNote!)));
        Assert.Equal(set.Notes[0], Assert.Single(set.PrStatus));
    }

    [Fact]
    public void Parse_MoreNotesThanTheLimit_Throws()
    {
        var ex = Assert.Throws<DumpFormatException>(() =>
            NoteSet.Parse(Three(ByteOrder.Little), ByteOrder.Little, 0x1000, DumpLimits.Default with { MaxNotes = 2 }));
        Assert.Equal("PT_NOTE", ex.FieldName);
        Assert.Equal(0x1000 + 52, ex.Offset);
    }

    [Fact]
    public void Parse_NameRunsPastTheSegment_NamesNNamesz()
    {
        var blob = NoteBuilder.Note("CORE", 1, [1, 2, 3, 4], ByteOrder.Little);
        Endian.W32(blob, 100, ByteOrder.Little);
        var ex = Assert.Throws<DumpFormatException>(() => NoteSet.Parse(blob, ByteOrder.Little, 0x40, DumpLimits.Default));
        Assert.Equal("n_namesz", ex.FieldName);
        Assert.Equal(0x40, ex.Offset);
    }

    [Fact]
    public void Parse_LastDescWithoutPadding_Accepted()
    {
        var blob = NoteBuilder.Note("CORE", 1, [1, 2, 3], ByteOrder.Little).AsSpan(0, 12 + 8 + 3).ToArray();
        var set = NoteSet.Parse(blob, ByteOrder.Little, 0, DumpLimits.Default);
        Assert.Equal(new byte[] { 1, 2, 3 }, set.Desc(Assert.Single(set.Notes)).ToArray());
    }

    [Fact]
    public void WithVmcoreInfo_ReplacesTheNoteAndKeepsTheRest()
    {
        var set = NoteSet.Parse(Three(ByteOrder.Big), ByteOrder.Big, 0, DumpLimits.Default).WithVmcoreInfo("B=22", ByteOrder.Little);
        Assert.Equal(ByteOrder.Big, set.ByteOrder); // the set's order, not the dump's
        Assert.Equal(["CORE", "QEMU", "VMCOREINFO"], set.Notes.Select(n => n.Name));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, set.Desc(set.Notes[0]).ToArray());
        Assert.Equal(new byte[] { 9, 9, 9, 9, 9, 9, 9, 9 }, set.Desc(set.Notes[1]).ToArray());
        Assert.Equal("B=22", Encoding.ASCII.GetString(set.Desc(set.VmcoreInfoNote!)));
        Assert.Equal(11U, Endian.U32(set.Blob.AsSpan(set.Notes[2].RecordOffset), ByteOrder.Big));
    }

    [Fact]
    public void WithVmcoreInfo_OnEmpty_TakesTheDumpsOrder()
    {
        var set = NoteSet.Empty.WithVmcoreInfo("X=1", ByteOrder.Big);
        Assert.Equal(ByteOrder.Big, set.ByteOrder);
        Assert.Equal(new ElfNote("VMCOREINFO", 0, 0, 24, 3), Assert.Single(set.Notes));
        Assert.Equal(NoteBuilder.Note("VMCOREINFO", 0, "X=1"u8, ByteOrder.Big), set.Blob);
    }

    [Fact]
    public void Empty_HasNoNotes()
    {
        Assert.Empty(NoteSet.Empty.Notes);
        Assert.Empty(NoteSet.Empty.Blob);
        Assert.Null(NoteSet.Empty.VmcoreInfoNote);
    }
}
