using HvDumpKit.Reader;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Writers.Selection;

/// <summary>makedumpfile's dump level bits (filtering.md): DumpLevel in PageSelection.cs.</summary>
public sealed class PageSelectionTests
{
    [Fact]
    public void Bits_AsMakedumpfile()
    {
        Assert.Equal((1, 2, 4, 8, 16), (DumpLevel.Zero, DumpLevel.Cache, DumpLevel.CachePrivate, DumpLevel.User, DumpLevel.Free));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(30, false)]
    [InlineData(31, true)]
    public void ExcludesZero_Bit1(int level, bool zero) => Assert.Equal(zero, DumpLevel.ExcludesZero(level));

    [Theory]
    [InlineData(-1)]
    [InlineData(32)]
    public void Validate_Outside0To31_Refused(int level)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DumpLevel.Validate(level));
        Assert.Contains("dump level must be 0–31", ex.Message);
        DumpLevel.Validate(0);
        DumpLevel.Validate(31);
    }

    [Fact]
    public void Count_SumOfRanges() => Assert.Equal(15UL, DumpLevel.Count([new PfnRange(0, 5), new PfnRange(10, 20)]));
}
