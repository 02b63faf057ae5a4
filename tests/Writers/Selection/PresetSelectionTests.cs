using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Writers.Selection;

/// <summary>A resumed save's source: page bytes from the vmcore, the selection from the file left behind.</summary>
public sealed class PresetSelectionTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Ranges_FromTheSelection_PagesFromTheSource()
    {
        var k = _dir.File("d31.kdump");
        using (var f = new FilteredDumpSource(DumpProbe.Open(Samples.Elf), 31))
            Builders.Convert.To(f, k, "kdump", PageCompression.Zstd, 31);
        using var pages = DumpProbe.Open(Samples.Elf);
        using var selection = DumpProbe.Open(k);
        using var preset = new PresetSelection(pages, selection);
        Assert.Equal(selection.PresentRanges().ToArray(), preset.PresentRanges().ToArray());
        Assert.Equal(selection.RamRanges().ToArray(), preset.RamRanges().ToArray());
        Assert.Equal(41UL, PfnRanges.Count(preset.PresentRanges())); // 48 less 7 excluded by class
        Assert.Equal(31, preset.DumpLevel);
        Assert.Equal(selection.MaxPfn, preset.MaxPfn);
        Assert.Equal(DumpFormat.Elf, preset.Header.Format);
        var a = new byte[4096];
        var b = new byte[4096];
        Assert.Equal(PageStatus.Present, preset.ReadPage(25, a));
        pages.ReadPage(25, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Dispose_LeavesBothOpen()
    {
        using var pages = DumpProbe.Open(Samples.Elf);
        using var selection = DumpProbe.Open(Samples.Kdump);
        new PresetSelection(pages, selection).Dispose();
        Assert.Equal(PageStatus.Present, pages.ReadPage(1, new byte[4096]));
        Assert.Equal(PageStatus.Present, selection.ReadPage(1, new byte[4096]));
    }
}
