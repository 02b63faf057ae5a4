using System.Buffers.Binary;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader;

public sealed class NotesOverrideTests
{
    /// <summary>One ELF note, little-endian (the sample is x86_64): "TEST", type 0x99, four desc bytes.</summary>
    private static byte[] Note()
    {
        var n = new byte[12 + 8 + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(n, 5);
        BinaryPrimitives.WriteUInt32LittleEndian(n.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(n.AsSpan(8), 0x99);
        "TEST"u8.CopyTo(n.AsSpan(12));
        new byte[] { 0xde, 0xad, 0xbe, 0xef }.CopyTo(n, 20);
        return n;
    }

    [Fact]
    public void Notes_TheAddedNoteFirstThenTheInnersPagesUnchanged()
    {
        using var inner = DumpProbe.Open(Samples.Elf);
        var o = new NotesOverride(inner, Note());
        var notes = o.Notes.Notes;
        Assert.Equal(inner.Notes.Notes.Count + 1, notes.Count);
        Assert.Equal("TEST", notes[0].Name);
        Assert.Equal(0x99u, notes[0].Type);
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, o.Notes.Desc(notes[0]).ToArray());
        Assert.Equal(inner.Notes.Notes.Select(n => (n.Name, n.Type)), notes.Skip(1).Select(n => (n.Name, n.Type)));
        Assert.Equal(inner.MaxPfn, o.MaxPfn);
        o.Dispose(); // not the owner: the inner source still reads
        var pfn = inner.PresentRanges().First().Start;
        Assert.Equal(PageStatus.Present, inner.ReadPage(pfn, new byte[inner.Header.PageSize]));
    }
}
