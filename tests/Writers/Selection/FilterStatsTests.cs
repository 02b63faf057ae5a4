using HvDumpKit.Reader.Kernel;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Writers.Selection;

/// <summary>Pages excluded per class, as makedumpfile's report counts them.</summary>
public sealed class FilterStatsTests
{
    [Fact]
    public void Add_CountsPerClass_TotalLeavesOutKept()
    {
        var s = new FilterStats();
        s.Add(PageClass.Cache);
        s.Add(PageClass.Cache, 2);
        s.Add(PageClass.Free, 10);
        s.Add(PageClass.User, 4);
        s.Add(PageClass.Keep, 100);
        Assert.Equal((3UL, 10UL, 4UL, 0UL), (s.Cache, s.Free, s.User, s.CachePrivate));
        Assert.Equal(17UL, s.Total);
        Assert.Equal(100UL, s[PageClass.Keep]);
    }

    [Fact]
    public void Copy_Independent_ClearZeroes()
    {
        var s = new FilterStats();
        s.Add(PageClass.Free, 5);
        var c = s.Copy();
        s.Add(PageClass.Free, 1);
        Assert.Equal(5UL, c.Free);
        s.Clear();
        Assert.Equal(0UL, s.Total);
        Assert.Equal(5UL, c.Total);
    }
}
