using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kdump;

/// <summary>The files of one --split run read as one dump (kdump-compressed.md §9).</summary>
public sealed class KdumpSplitSetTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Four pages at PFN 0 and four at PFN 4096, split in two on 4096-PFN splitblocks: the first
    /// file holds [0, 4096), the second [4096, 4100).
    /// </summary>
    private (string Elf, string[] Parts) Split()
    {
        var low = Enumerable.Range(0, 4 * 4096).Select(i => (byte)(i / 4096 + 1)).ToArray();
        var high = Enumerable.Range(0, 4 * 4096).Select(i => (byte)(i / 4096 + 0x41)).ToArray();
        var elf = new ElfCoreBuilder().VmcoreInfo("OSRELEASE=6.1.0\nPAGESIZE=4096\n")
            .AddLoad(0, low).AddLoad(4096UL * 4096, high).WriteTo(_dir.File("in.elf"));
        string[] parts = [_dir.File("p1"), _dir.File("p2")];
        using var src = DumpProbe.Open(elf);
        KdumpSplitWriter.Write(src, elf, parts, force: false, splitblockBytes: 4096L * 4096, limit: null,
            new WriterOptions { Compression = PageCompression.Zlib, Threads = 1 });
        return (elf, parts);
    }

    [Fact]
    public void Open_AnyOrder_SortedByStartPfnAndEveryPageFromItsFile()
    {
        var (elf, parts) = Split();
        using var set = KdumpSplitSet.Open([parts[1], parts[0]]);
        Assert.Equal(2, set.Files.Count);
        Assert.Equal((0UL, 4096UL), (set.Files[0].Kdump.StartPfn, set.Files[0].Kdump.EndPfn));
        Assert.Equal((4096UL, 4100UL), (set.Files[1].Kdump.StartPfn, set.Files[1].Kdump.EndPfn));
        Assert.Equal(4100UL, set.Kdump.MaxMapnr);
        Assert.True(set.Kdump.Split);
        using var a = DumpProbe.Open(elf);
        Builders.Convert.AssertSamePages(a, set);
        var page = new byte[4096];
        Assert.Equal(PageStatus.Present, set.ReadPage(4097, page));
        Assert.Equal(0x42, page[0]);
    }

    [Fact]
    public void Open_MissingFirstFile_NamesStartPfn()
    {
        var (_, parts) = Split();
        var ex = Assert.Throws<DumpFormatException>(() => KdumpSplitSet.Open([parts[1]]));
        Assert.Equal("kdump_sub_header.start_pfn_64", ex.FieldName);
        Assert.Contains("leaves PFNs 0–4095 in no file of the set", ex.Message);
    }

    [Fact]
    public void Open_MissingLastFile_NamesEndPfn()
    {
        var (_, parts) = Split();
        var ex = Assert.Throws<DumpFormatException>(() => KdumpSplitSet.Open([parts[0]]));
        Assert.Equal("kdump_sub_header.end_pfn_64", ex.FieldName);
        Assert.Contains("max_mapnr 4100", ex.Message);
    }

    [Fact]
    public void Open_SameFileTwice_Overlaps()
    {
        var (_, parts) = Split();
        var ex = Assert.Throws<DumpFormatException>(() => KdumpSplitSet.Open([parts[0], parts[0], parts[1]]));
        Assert.Contains("overlaps the previous file's range (ends at 4096)", ex.Message);
    }

    [Fact]
    public void Open_AnElfOrAWholeKdump_Refused()
    {
        var (elf, parts) = Split();
        var notKdump = Assert.Throws<DumpFormatException>(() => KdumpSplitSet.Open([parts[0], elf]));
        Assert.Equal("signature", notKdump.FieldName);
        var whole = _dir.File("whole.kdump");
        Builders.Convert.To(elf, whole, "kdump", PageCompression.Zlib);
        var notSplit = Assert.Throws<DumpFormatException>(() => KdumpSplitSet.Open([whole, parts[1]]));
        Assert.Equal("kdump_sub_header.split", notSplit.FieldName);
    }

    [Fact]
    public void Open_NoPaths_ArgumentException() =>
        Assert.Throws<ArgumentException>(() => KdumpSplitSet.Open([]));
}
