using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Verify;
using Xunit;

namespace HvDumpKit.Tests.Reader.Verify;

public sealed class VerifyReportTests
{
    [Fact]
    public void Ok_FreshReport() => Assert.True(new VerifyReport().Ok);

    [Fact]
    public void Ok_EachFailureAloneFailsIt()
    {
        var fails = new Action<VerifyReport>[]
        {
            r => r.Problems.Add("bad header"),
            r => r.PagesMissing = 1,
            r => r.PagesCorrupt = 1,
            r => r.Mismatched = 1,
            r => r.NotInDump = 1,
            r => r.NotesMatch = false,
            r => r.VmcoreInfoMatch = false,
        };
        foreach (var f in fails)
        {
            var r = new VerifyReport();
            f(r);
            Assert.False(r.Ok);
        }
    }

    [Fact]
    public void Ok_ReportedNotFailed_ExcludedBeyondMaxPfnUnverified()
    {
        var r = new VerifyReport { PagesExcluded = 5, BeyondMaxPfn = 3, Unverified = 2, ExcludedByLevel = 5, Matched = 10, HasGolden = true };
        Assert.True(r.Ok);
    }

    [Theory]
    [InlineData(PageClass.Cache, "cache")]
    [InlineData(PageClass.CachePrivate, "cache_private")]
    [InlineData(PageClass.User, "user")]
    [InlineData(PageClass.Free, "free")]
    [InlineData(PageClass.HwPoison, "hwpoison")]
    [InlineData(PageClass.Offline, "offline")]
    public void ClassName_MakedumpfilesNames(PageClass c, string name) => Assert.Equal(name, VerifyReport.ClassName(c));
}
