using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader;

public sealed class DumpSourceDecoratorTests
{
    /// <summary>Overrides nothing: every member is the inner source's.</summary>
    private sealed class Unchanged(IDumpSource inner) : DumpSourceDecorator(inner, ownsInner: false);

    [Theory]
    [InlineData("elf")]
    [InlineData("kdump")]
    public void Unchanged_ForwardsFactsRangesAndPages(string which)
    {
        using var inner = DumpProbe.Open(which == "elf" ? Samples.Elf : Samples.Kdump);
        using var d = new Unchanged(inner);
        Assert.Equal(inner.Path, d.Path);
        Assert.Same(inner.Header, d.Header);
        Assert.Same(inner.Notes, d.Notes);
        Assert.Same(inner.VmcoreInfo, d.VmcoreInfo);
        Assert.Equal(inner.MaxPfn, d.MaxPfn);
        Assert.Equal(inner.DumpLevel, d.DumpLevel);
        Assert.Equal(inner.Warnings, d.Warnings);
        Assert.Equal(inner.RamRanges(), d.RamRanges());
        var present = inner.PresentRanges().ToList();
        Assert.Equal(present, d.PresentRanges());
        int ps = inner.Header.PageSize;
        byte[] a = new byte[ps], b = new byte[ps];
        foreach (var pfn in PfnRanges.Pfns(present).Take(8))
        {
            Assert.Equal(inner.ReadPage(pfn, a), d.ReadPage(pfn, b));
            Assert.Equal(a, b);
        }
        // Bulk reads go to the inner source when it has them, and say false when it has none.
        var first = present[0];
        a = new byte[2 * ps];
        b = new byte[2 * ps];
        bool innerBulk = inner is IBulkPageReader ib && ib.TryReadPages(first.Start, 2, a);
        Assert.Equal(innerBulk, d.TryReadPages(first.Start, 2, b));
        if (innerBulk) Assert.Equal(a, b);
    }

    [Fact]
    public void Dispose_NotOwned_InnerStillReads()
    {
        using var inner = DumpProbe.Open(Samples.Elf);
        new Unchanged(inner).Dispose();
        var page = new byte[inner.Header.PageSize];
        var pfn = inner.PresentRanges().First().Start;
        Assert.Equal(PageStatus.Present, inner.ReadPage(pfn, page));
    }
}
