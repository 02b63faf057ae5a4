using HvDumpKit.Reader;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Writers.Selection;

/// <summary>makedumpfile's -d bits: 0–31, bit 0 the zero pages.</summary>
public sealed class DumpLevelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Validate_0To31_Accepted(int level) => DumpLevel.Validate(level);

    [Theory]
    [InlineData(-1)]
    [InlineData(32)]
    public void Validate_OutsideTheFiveBits_NamesTheLevel(int level)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DumpLevel.Validate(level));
        Assert.Equal(("level", (object?)level), (ex.ParamName, ex.ActualValue));
        Assert.StartsWith("dump level must be 0–31", ex.Message);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(31, true)]
    [InlineData(30, false)]
    [InlineData(0, false)]
    public void ExcludesZero_Bit0(int level, bool excludes) => Assert.Equal(excludes, DumpLevel.ExcludesZero(level));

    [Fact]
    public void Count_SumsThePages() => Assert.Equal(7UL, DumpLevel.Count([new PfnRange(0, 3), new PfnRange(10, 14)]));
}
