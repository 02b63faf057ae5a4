using System.IO.Hashing;

namespace HvDumpKit.Reader.Verify;

/// <summary>One page as a scan saw it: status (Corrupt when it did not decode) and its XxHash3.</summary>
public readonly record struct ScannedPage(ulong Pfn, ScanStatus Status, ulong Digest, string? Error);

public enum ScanStatus { Present, Excluded, NotInDump, Lost, Corrupt }

/// <summary>
/// Reads a source's pages in PFN order, in bounded batches hashed on all cores, and hands them
/// over in order. A page that fails to decode is reported as Corrupt with the reader's message,
/// and the scan goes on: one bad page must not hide the rest.
/// </summary>
public static class PageScan
{

    public static ulong Digest(ReadOnlySpan<byte> page) => XxHash3.HashToUInt64(page);

    public static void Run(IDumpSource source, IEnumerable<PfnRange> ranges, int threads, Action<ScannedPage> consume, Action<ulong,
        Exception>? onError = null)
    {
        int ps = source.Header.PageSize;
        int batch = (int)Math.Clamp((8L << 20) / ps, 16, 4096);
        var results = new ScannedPage[batch];
        using var buffers = new ThreadLocal<byte[]>(() => new byte[ps]);
        PageBatches.Run(ranges, batch, overlap: false, (_, pfns, n) => PageBatches.ForEach(n, threads, i =>
            {
                var buf = buffers.Value!;
                try
                {
                    var st = source.ReadPage(pfns[i], buf);
                    results[i] = st == PageStatus.Present
                        ? new ScannedPage(pfns[i], ScanStatus.Present, Digest(buf), null)
                        : new ScannedPage(pfns[i], st switch
                        {
                            PageStatus.Excluded => ScanStatus.Excluded,
                            PageStatus.Lost => ScanStatus.Lost,
                            _ => ScanStatus.NotInDump
                        }, 0, null);
                }
                catch (DumpFormatException ex)
                {
                    results[i] = new ScannedPage(pfns[i], ScanStatus.Corrupt, 0, ex.Message);
                }
            }),
            (_, _, n) =>
            {
                for (int i = 0; i < n; i++) consume(results[i]);
            });
    }
}
