using System.Buffers;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;

namespace HvDumpKit.Writers.Pipeline;

/// <summary>One page after reading and (optionally) compressing it.</summary>
public readonly ref struct PageItem
{
    public PageItem(ulong pfn, PageStatus status, bool isZero, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> compressed)
    {
        Pfn = pfn; Status = status; IsZero = isZero; Raw = raw; Compressed = compressed;
    }
    public ulong Pfn { get; }
    public PageStatus Status { get; }
    public bool IsZero { get; }
    public ReadOnlySpan<byte> Raw { get; }
    /// <summary>Empty when the page did not shrink (or no codec): store Raw.</summary>
    public ReadOnlySpan<byte> Compressed { get; }
}

public delegate void PageConsumer(in PageItem item);

/// <summary>
/// Bounded read → compress → in-order consume. Pages are taken in batches sized from the memory
/// budget; each batch is read and compressed on all workers (each with its own codec instance),
/// then handed to the consumer in PFN order on the calling thread while the next batch is
/// already being processed. At most two batches exist, whatever the dump size.
/// </summary>
public sealed class PagePipeline
{
    private readonly IDumpSource _source;
    private readonly WriterOptions _options;
    private readonly int _pageSize;
    private readonly int _slot;
    private readonly int _batchPages;
    private readonly bool _shareZero;

    public PagePipeline(IDumpSource source, WriterOptions options)
    {
        _source = source;
        _options = options;
        _pageSize = source.Header.PageSize;
        _shareZero = Selection.DumpLevel.ExcludesZero(options.DumpLevel);
        _slot = options.Compression == PageCompression.None ? 0 : PageCodecs.MaxCompressedSize(_pageSize);
        long perPage = _pageSize + _slot;
        _batchPages = (int)Math.Clamp(options.MemoryBudget / 2 / perPage, 16, 8192);
    }

    /// <summary>A worker's codec and its compressed zero page.</summary>
    private sealed class Worker(IPageCompressor codec)
    {
        public IPageCompressor Codec { get; } = codec;
        public byte[]? ZeroCompressed;
    }

    private sealed class Batch
    {
        public int Count;
        public ulong[] Pfns = Array.Empty<ulong>();
        public byte[] Raw = Array.Empty<byte>();
        public byte[] Out = Array.Empty<byte>();
        public int[] OutLen = Array.Empty<int>();
        public PageStatus[] Status = Array.Empty<PageStatus>();
        public bool[] Zero = Array.Empty<bool>();
    }

    /// <summary>Runs every PFN in ranges (ascending) through the pipeline.</summary>
    public void Run(IEnumerable<PfnRange> ranges, PageConsumer consume)
    {
        var batches = new[] { NewBatch(), NewBatch() };
        using var compressors = new ThreadLocal<Worker?>(
            () => _options.Compression == PageCompression.None ? null
                : new Worker(PageCodecs.CreateCompressor(_options.Compression, _options.CompressionLevel)),
            trackAllValues: true);
        try
        {
            // One CPU (a capture kernel booted with nr_cpus=1): no consumer task, since a hand-off to
            // another thread only adds switches there; read, compress and consume in turn.
            PageBatches.Run(ranges, _batchPages, overlap: _options.Threads > 1,
                (slot, pfns, n) =>
                {
                    var b = batches[slot];
                    b.Pfns = pfns;
                    b.Count = n;
                    Process(b, compressors);
                },
                (slot, _, _) => Consume(batches[slot], consume),
                _options.Cancellation);
        }
        finally
        {
            foreach (var c in compressors.Values) c?.Codec.Dispose();
        }
    }

    // Page buffers are overwritten before use: skip the zeroing of tens of MiB.
    private Batch NewBatch() => new()
    {
        Raw = GC.AllocateUninitializedArray<byte>(_batchPages * _pageSize),
        Out = GC.AllocateUninitializedArray<byte>(_batchPages * _slot),
        OutLen = new int[_batchPages],
        Status = new PageStatus[_batchPages],
        Zero = new bool[_batchPages],
    };

    private void Process(Batch b, ThreadLocal<Worker?> compressors)
    {
        int threads = Math.Max(1, _options.Threads);
        int chunk = Math.Max(1, Math.Min(64, b.Count / (threads * 4)));
        int chunks = (b.Count + chunk - 1) / chunk;
        PageBatches.ForEach(chunks, threads, ci => ProcessChunk(b, compressors.Value, ci * chunk, Math.Min(b.Count, (ci + 1) * chunk)),
            _options.Cancellation);
    }

    private void ProcessChunk(Batch b, Worker? comp, int begin, int end)
    {
        // Runs of consecutive PFNs in one file extent: one read per run instead of one per page.
        Span<bool> bulkRead = stackalloc bool[end - begin];
        if (_source is IBulkPageReader br)
        {
            for (int r = begin; r < end;)
            {
                int e = r + 1;
                while (e < end && b.Pfns[e] == b.Pfns[e - 1] + 1) e++;
                if (e - r > 1 && br.TryReadPages(b.Pfns[r], e - r, b.Raw.AsSpan(r * _pageSize, (e - r) * _pageSize)))
                    bulkRead.Slice(r - begin, e - r).Fill(true);
                r = e;
            }
        }
        for (int i = begin; i < end; i++)
        {
            var raw = b.Raw.AsSpan(i * _pageSize, _pageSize);
            var st = bulkRead[i - begin] ? PageStatus.Present : _source.ReadPage(b.Pfns[i], raw);
            b.Status[i] = st;
            bool zero = st == PageStatus.Present && raw.IndexOfAnyExcept((byte)0) < 0;
            b.Zero[i] = zero;
            b.OutLen[i] = 0;
            // Zero pages are compressed too unless the writer shares one zero page (dump level 1).
            if (st != PageStatus.Present || comp is null || (zero && _shareZero)) continue;
            var dst = b.Out.AsSpan(i * _slot, _slot);
            if (zero)
            {
                // Half of a typical dump is zero pages: compress one, reuse its bytes.
                comp.ZeroCompressed ??= dst[..comp.Codec.Compress(raw, dst)].ToArray();
                comp.ZeroCompressed.CopyTo(dst);
                b.OutLen[i] = comp.ZeroCompressed.Length;
            }
            else
                b.OutLen[i] = comp.Codec.Compress(raw, dst);
        }
    }

    private void Consume(Batch b, PageConsumer consume)
    {
        for (int i = 0; i < b.Count; i++)
        {
            var item = new PageItem(b.Pfns[i], b.Status[i], b.Zero[i], b.Raw.AsSpan(i * _pageSize, _pageSize),
                b.OutLen[i] > 0 ? b.Out.AsSpan(i * _slot, b.OutLen[i]) : ReadOnlySpan<byte>.Empty);
            consume(item);
        }
    }
}
