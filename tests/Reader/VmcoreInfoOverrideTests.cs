using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader;

public sealed class VmcoreInfoOverrideTests
{
    [Fact]
    public void Kdump_NotesCarryTheNewVmcoreInfoPagesStayTheInners()
    {
        const string text = "OSRELEASE=9.9.9-override\nPAGESIZE=4096\n";
        using var inner = DumpProbe.Open(Samples.Kdump);
        var innerInfo = inner.VmcoreInfo!.Text;
        var page = new byte[inner.Header.PageSize];
        var pfn = inner.PresentRanges().First().Start;
        Assert.Equal(PageStatus.Present, inner.ReadPage(pfn, page));
        var info = new VmcoreInfo(text);
        using var o = new VmcoreInfoOverride(DumpProbe.Open(Samples.Kdump), info);
        Assert.Same(info, o.VmcoreInfo);
        var note = o.Notes.VmcoreInfoNote;
        Assert.NotNull(note);
        Assert.Equal(text, Encoding.ASCII.GetString(o.Notes.Desc(note!)).TrimEnd('\0'));
        Assert.NotEqual(innerInfo, o.VmcoreInfo!.Text);
        Assert.Equal(inner.Header.PageSize, o.Header.PageSize);
        Assert.Equal(inner.MaxPfn, o.MaxPfn);
        var again = new byte[page.Length];
        Assert.Equal(PageStatus.Present, o.ReadPage(pfn, again));
        Assert.Equal(page, again);
    }
}
