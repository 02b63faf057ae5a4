using HvDumpKit.Reader;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Raw;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Raw;

/// <summary>A flat image where offset = physical address, described by its OUT.json sidecar.</summary>
public sealed class RawDumpSourceTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>Eight pages of RAM; PFNs 0–2 and 5–6 saved, 3–4 excluded, 7 saved but cut from the image.</summary>
    private string Image(byte[]? notes = null)
    {
        var path = _dir.File("mem.raw");
        var bytes = new byte[7 * 4096];
        for (int pfn = 0; pfn < 7; pfn++) bytes.AsSpan(pfn * 4096, 4096).Fill((byte)(0x10 + pfn));
        File.WriteAllBytes(path, bytes);
        var meta = new RawSidecar(Machine.X86_64, ByteOrder.Little, 4096, true, 0, 1,
            [new PfnRange(0, 8)], [new PfnRange(0, 3), new PfnRange(5, 8)], notes ?? []);
        using (var s = File.Create(RawSidecar.PathFor(path))) meta.Write(s);
        return path;
    }

    [Fact]
    public void Open_HeaderAndRangesFromTheSidecar()
    {
        using var d = RawDumpSource.Open(new PlainFileInput(Image()));
        Assert.Equal(DumpFormat.Raw, d.Header.Format);
        Assert.Equal(Machine.X86_64, d.Header.Machine);
        Assert.Equal(4096, d.Header.PageSize);
        Assert.Equal(1, d.DumpLevel);
        Assert.Equal(8UL, d.MaxPfn);
        Assert.Equal([new PfnRange(0, 3), new PfnRange(5, 8)], d.PresentRanges().ToArray());
        Assert.Equal([new PfnRange(0, 8)], d.RamRanges().ToArray());
        Assert.Equal("raw physical-memory image", d.Facts.FormatName);
        Assert.Null(d.VmcoreInfo);
    }

    [Fact]
    public void ReadPage_PresentExcludedLostNotInDump()
    {
        using var d = RawDumpSource.Open(new PlainFileInput(Image()));
        var page = new byte[4096];
        Assert.Equal(PageStatus.Present, d.ReadPage(6, page));
        Assert.All(page, b => Assert.Equal(0x16, b));
        Assert.Equal(PageStatus.Excluded, d.ReadPage(3, page));
        Assert.All(page, b => Assert.Equal(0, b));
        Assert.Equal(PageStatus.Lost, d.ReadPage(7, page));     // in the sidecar, past the image's end
        Assert.Equal(PageStatus.NotInDump, d.ReadPage(8, page));
    }

    [Fact]
    public void TryReadPages_OnlyWithinOnePresentRange()
    {
        using var d = RawDumpSource.Open(new PlainFileInput(Image()));
        var buf = new byte[3 * 4096];
        Assert.True(d.TryReadPages(0, 3, buf));
        Assert.Equal(0x12, buf[2 * 4096]);
        Assert.False(d.TryReadPages(1, 3, buf));  // runs into excluded PFN 3
        Assert.False(d.TryReadPages(3, 1, buf));
        Assert.False(d.TryReadPages(6, 2, buf));  // PFN 7 is not in the image
    }

    [Fact]
    public void Open_NotesAndVmcoreInfoFromTheSidecar()
    {
        var notes = new ElfCoreBuilder().VmcoreInfo("OSRELEASE=6.1.0-raw\nPAGESIZE=4096\n").NoteBlob();
        using var d = RawDumpSource.Open(new PlainFileInput(Image(notes)));
        Assert.Equal(notes, d.Notes.Blob);
        Assert.Equal("6.1.0-raw", d.VmcoreInfo?.OsRelease);
    }

    [Fact]
    public void HasSidecar_OnlyWithTheJsonBeside()
    {
        var path = Image();
        Assert.True(RawDumpSource.HasSidecar(path));
        Assert.False(RawDumpSource.HasSidecar(_dir.File("other.raw")));
        Assert.Equal(DumpFormat.Raw, DumpProbe.Identify(path));
    }
}
