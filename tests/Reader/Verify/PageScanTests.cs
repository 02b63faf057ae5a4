using System.IO.Hashing;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Verify;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Verify;

/// <summary>Every page of the ranges asked for, in PFN order across batches and threads, with its status and XxHash3.</summary>
public sealed class PageScanTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static byte[] PageOf(ulong pfn)
    {
        var p = new byte[4096];
        p.AsSpan().Fill((byte)(pfn * 7));
        BitConverter.TryWriteBytes(p, pfn);
        return p;
    }

    /// <summary>PFNs 0–(n−1) saved; the PT_LOAD's p_memsz runs extra pages past its p_filesz.</summary>
    private string Vmcore(int n, int extra = 0)
    {
        var data = new byte[n * 4096];
        for (int i = 0; i < n; i++) PageOf((ulong)i).CopyTo(data, i * 4096);
        return new ElfCoreBuilder().AddLoad(0, data, memSize: (ulong)(n + extra) * 4096).WriteTo(_dir.File($"s{n}.elf"));
    }

    private static List<ScannedPage> Scan(IDumpSource d, IEnumerable<PfnRange> ranges, int threads)
    {
        var seen = new List<ScannedPage>();
        PageScan.Run(d, ranges, threads, seen.Add);
        return seen;
    }

    [Fact]
    public void Digest_IsXxHash3()
    {
        var p = PageOf(3);
        Assert.Equal(XxHash3.HashToUInt64(p), PageScan.Digest(p));
        Assert.NotEqual(PageScan.Digest(p), PageScan.Digest(PageOf(4)));
    }

    [Fact]
    public void Run_MoreThanOneBatchOnTwoThreads_InPfnOrderEachWithItsDigest()
    {
        // 8 MiB batches of 4 KiB pages are 2048 pages: 2100 is two batches.
        using var d = DumpProbe.Open(Vmcore(2100));
        var seen = Scan(d, [new PfnRange(0, 2100)], threads: 2);
        Assert.Equal(Enumerable.Range(0, 2100).Select(i => (ulong)i), seen.Select(s => s.Pfn));
        Assert.All(seen, s =>
            Assert.Equal((ScanStatus.Present, PageScan.Digest(PageOf(s.Pfn)), (string?)null), (s.Status, s.Digest, s.Error)));
    }

    [Fact]
    public void Run_OnlyTheRangesAsked()
    {
        using var d = DumpProbe.Open(Vmcore(16));
        Assert.Equal([2UL, 3, 10], Scan(d, [new PfnRange(2, 4), new PfnRange(10, 11)], threads: 1).Select(s => s.Pfn));
    }

    [Fact]
    public void Run_ExcludedAndNotInDump_NoDigest()
    {
        using var d = DumpProbe.Open(Vmcore(4, extra: 2));
        var seen = Scan(d, [new PfnRange(3, 7)], threads: 1);
        Assert.Equal(
            [new ScannedPage(3, ScanStatus.Present, PageScan.Digest(PageOf(3)), null), new ScannedPage(4, ScanStatus.Excluded, 0, null),
             new ScannedPage(5, ScanStatus.Excluded, 0, null), new ScannedPage(6, ScanStatus.NotInDump, 0, null)],
            seen);
    }

    [Fact]
    public void Run_TruncatedFile_Lost()
    {
        var path = Vmcore(4);
        using (var f = File.OpenWrite(path)) f.SetLength(f.Length - 4096);
        using var d = DumpProbe.Open(path);
        Assert.Equal([ScanStatus.Present, ScanStatus.Lost], Scan(d, [new PfnRange(2, 4)], threads: 1).Select(s => s.Status));
    }

    /// <summary>A source whose page 1 does not decode.</summary>
    private sealed class OnePageCorrupt(IDumpSource inner) : DumpSourceDecorator(inner, ownsInner: true), IDumpSource
    {
        PageStatus IDumpSource.ReadPage(ulong pfn, Span<byte> page) =>
            pfn == 1 ? throw new DumpFormatException(null, 0x1234, "page_desc", null, "does not decompress") : Inner.ReadPage(pfn, page);
    }

    [Fact]
    public void Run_APageThatDoesNotDecode_CorruptWithTheMessageAndTheScanGoesOn()
    {
        using var d = new OnePageCorrupt(DumpProbe.Open(Vmcore(3)));
        var seen = Scan(d, [new PfnRange(0, 3)], threads: 2);
        Assert.Equal([ScanStatus.Present, ScanStatus.Corrupt, ScanStatus.Present], seen.Select(s => s.Status));
        Assert.Equal((0UL, new DumpFormatException(null, 0x1234, "page_desc", null, "does not decompress").Message),
            (seen[1].Digest, seen[1].Error));
        Assert.Equal(PageScan.Digest(PageOf(2)), seen[2].Digest);
    }
}
