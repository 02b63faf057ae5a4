using System.Globalization;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.Cli;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>Peak memory does not grow with the dump: filtering 4 GiB and 64 GiB of physical memory at -d 31, same budget.</summary>
public sealed class MemoryBoundTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string _lastStderr = "";

    private (long RssKiB, string Output) Convert(string input, string format)
    {
        var outp = _dir.File(Path.GetFileName(input) + "." + format);
        var rss = _dir.File("rss");
        // The published NativeAOT binary, what a capture kernel runs (scripts/test.sh publishes it), when it is there:
        // its peak RSS is the program's, not a JIT's and its tiering.
        var aot = Path.Combine(Repo.Root, "artifacts", "publish", "linux-x64", "hvdump");
        // Under the JIT the GC sizes gen0 from the L3 cache, so the peak would follow the host, not the program:
        // a fixed gen0 budget keeps the 4 GiB and 64 GiB runs comparable on any machine.
        string[] run = File.Exists(aot) ? [aot] : ["env", "DOTNET_GCgen0size=0x1000000", "dotnet", Samples.HvdumpDll];
        var r = RealTools.Run(RealTools.Tool("time"), ["-o", rss, "-f", "%M", .. run, "convert", input, outp,
            "--format", format, "--compress", "lzo", "--dump-level", "31", "--stats", "--force"], timeoutSeconds: 900);
        Assert.True(r.ExitCode == 0, r.All);
        _lastStderr = r.Stderr;
        return (long.Parse(File.ReadAllLines(rss).Last(), CultureInfo.InvariantCulture), outp);
    }

    [SkippableFact]
    public void Filter_64GiBSparseDump_SamePeakMemoryAs4GiB()
    {
        var small = SparseVmcore.Create(_dir.File("small.elf"), 4);
        var big = SparseVmcore.Create(_dir.File("big.elf"), 64);
        var (rssSmall, _) = Convert(small, "kdump");
        var (rssBig, outBig) = Convert(big, "kdump");
        // Level 31 classified every struct page: one free order-10 block per GiB was excluded.
        Assert.Contains($"Free pages              : 0x{SparseVmcore.FreePages(64):x16}", _lastStderr);
        Assert.True(rssBig < rssSmall + 16 * 1024, $"64 GiB: {rssBig} KiB vs 4 GiB: {rssSmall} KiB");
        Assert.True(rssBig < 128 * 1024, $"peak RSS {rssBig} KiB");
        using var k = (HvDumpKit.Reader.Kdump.KdumpDumpSource)DumpProbe.Open(outBig);
        Assert.Equal(16UL << 20, k.MaxPfn);
        var page = new byte[4096];
        Assert.Equal(PageStatus.Excluded, k.ReadPage(63UL << 18, page));     // the free block
        Assert.Equal(PageStatus.Present, k.ReadPage((63UL << 18) + 1024, page));
        Assert.Equal((byte)('A' + 63 % 26), page[0]);
        Assert.Equal(PageStatus.Present, k.ReadPage((63UL << 18) + 1025, page));
        Assert.Equal(0, page[0]);
    }
}
