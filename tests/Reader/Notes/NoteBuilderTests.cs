using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.X86_64;
using HvDumpKit.Reader.Notes;
using Xunit;

namespace HvDumpKit.Tests.Reader.Notes;

/// <summary>Note records in the kernel's byte order, and NT_PRSTATUS from registers by name.</summary>
public sealed class NoteBuilderTests
{
    [Fact]
    public void Note_HeaderNameAndDescEachPaddedTo4()
    {
        var n = NoteBuilder.Note("CORE", 7, [0xAA, 0xBB, 0xCC, 0xDD, 0xEE], ByteOrder.Big);
        Assert.Equal(new byte[]
        {
            0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 7,
            (byte)'C', (byte)'O', (byte)'R', (byte)'E', 0, 0, 0, 0,
            0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0, 0, 0,
        }, n);
        var l = NoteBuilder.Note("ABC", 1, [], ByteOrder.Little);
        Assert.Equal(new byte[] { 4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, (byte)'A', (byte)'B', (byte)'C', 0 }, l);
    }

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void PrStatus_RegistersInTheirSlots_RestZero(ByteOrder order)
    {
        var layout = X86_64Architecture.Instance.PrStatus;
        var note = NoteBuilder.PrStatus(layout, new Dictionary<string, ulong> { ["rip"] = 0xffffffff81234567UL, ["rsp"] = 0x5000, ["nip"] = 1 }, order);
        var set = NoteSet.Parse(note, order, 0, DumpLimits.Default);
        var n = Assert.Single(set.Notes);
        Assert.True(n.IsPrStatus);
        Assert.Equal(X86_64Architecture.PrStatusSize, n.DescSize);
        var desc = set.Desc(n);
        Assert.Equal(0xffffffff81234567UL, Endian.U64(desc[(112 + 16 * 8)..], order));
        Assert.Equal(0x5000UL, Endian.U64(desc[(112 + 19 * 8)..], order));
        Assert.Equal(2, CountNonZeroWords(desc, order)); // "nip" is not an x86_64 register: dropped
        var decoded = PrStatus.Decode(desc, Machine.X86_64, order, true);
        Assert.Equal("rip=0xffffffff81234567", decoded.InstructionPointer);
    }

    private static int CountNonZeroWords(ReadOnlySpan<byte> desc, ByteOrder order)
    {
        int n = 0;
        for (int at = 0; at + 8 <= desc.Length; at += 8) if (Endian.U64(desc[at..], order) != 0) n++;
        return n;
    }
}
