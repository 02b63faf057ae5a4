using System.Globalization;
using HvDumpKit.Cli;
using HvDumpKit.Writers;
using Xunit;

namespace HvDumpKit.Tests.Cli.Output;

public sealed class TerminalProgressTests
{
    [Fact]
    public void Report_OneLineRewrittenWithCarriageReturn_ThrottledUntilTheEnd()
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var e = new StringWriter();
            var p = new TerminalProgress(e);
            p.Report(new WriteProgress(1, 4, 3 * 1048576));
            Assert.Equal("\r   25.0%  1/4 pages  3.0 MiB out ", e.ToString());
            p.Report(new WriteProgress(2, 4, 4 * 1048576)); // within 200 ms of the last: not shown
            Assert.Equal("\r   25.0%  1/4 pages  3.0 MiB out ", e.ToString());
            p.Report(new WriteProgress(4, 4, 5 * 1048576)); // the last one always is
            Assert.EndsWith("\r  100.0%  4/4 pages  5.0 MiB out ", e.ToString());
            p.Done();
            Assert.EndsWith("out \r\x1b[K", e.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Done_NothingShown_WritesNothing()
    {
        var e = new StringWriter();
        new TerminalProgress(e).Done();
        Assert.Equal("", e.ToString());
    }

    [Fact]
    public void Report_NoPages_HundredPercent()
    {
        var e = new StringWriter(CultureInfo.InvariantCulture);
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            new TerminalProgress(e).Report(new WriteProgress(0, 0, 0));
            Assert.Equal("\r  100.0%  0/0 pages  0.0 MiB out ", e.ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
