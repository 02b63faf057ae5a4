using HvDumpKit.Reader.Codecs;

namespace HvDumpKit.Writers;

/// <summary>How a writer runs: codec, dump level, threads and the memory budget for buffers.</summary>
public sealed record WriterOptions
{
    public PageCompression Compression { get; init; } = PageCompression.Zstd;
    /// <summary>zlib level 1–9 (default chosen by bench/compare.sh), zstd 1–19.</summary>
    public int CompressionLevel { get; init; } = 1;
    /// <summary>makedumpfile dump level bits; this layer acts on bit 1 (zero pages) itself.</summary>
    public int DumpLevel { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Bytes of page buffers the pipeline may hold (input and output of both batches).</summary>
    /// <summary>
    /// Bytes of page batches (two batches in flight). Small by default: every fresh page of
    /// memory costs a page fault, which under a hypervisor is dear (measured: 16 MiB took 5,900
    /// faults and 0.20 s at -d 31 where 2 MiB took 1,900 and 0.15 s), and two cores need little
    /// to stay busy.
    /// </summary>
    public long MemoryBudget { get; init; } = DefaultMemoryBudget;
    public const long DefaultMemoryBudget = 2L << 20;
    /// <summary>
    /// fsync at the writer's ordering points (all pages before INCOMPLETE is cleared, and at the
    /// end). The release protocol needs it; a plain conversion may leave it to the page cache.
    /// </summary>
    public bool Durable { get; init; } = true;
    public IProgress<WriteProgress>? Progress { get; init; }
    /// <summary>
    /// Called with a PFN watermark after an fsync: every PFN below it is either durable in the
    /// output (data, descriptor and a header that reaches them) or excluded by the dump level.
    /// The release protocol listens here; durability is what the writer reports, never a guess.
    /// </summary>
    public Action<ulong>? OnDurable { get; init; }
    /// <summary>
    /// Called once the header and both bitmaps are durable, with the PFN runs the dump level
    /// excluded: that decision is final and those pages need no copy, so their memory can go back
    /// before any page is written.
    /// </summary>
    public Action<IEnumerable<HvDumpKit.Reader.PfnRange>>? OnExcludedFinal { get; init; }
    /// <summary>Pages between durability checkpoints (each one costs an fsync).</summary>
    public int CheckpointPages { get; init; } = 16384;
    public CancellationToken Cancellation { get; init; }
    /// <summary>
    /// kdump-compressed only: write one file of a --split set holding the pages of this PFN range
    /// (full bitmaps, descriptor area sized for the whole dump; kdump-compressed.md §9.1).
    /// </summary>
    public HvDumpKit.Reader.PfnRange? SplitRange { get; init; }
    /// <summary>
    /// kdump-compressed only: go on writing a file a killed run left behind, from this point
    /// (the file's header, bitmaps and saved pages are kept as they are).
    /// </summary>
    public Kdump.KdumpResumePoint? Resume { get; init; }
}

public readonly record struct WriteProgress(ulong PagesDone, ulong PagesTotal, long BytesOut);

/// <summary>What a conversion did, for the summary line and --json.</summary>
public sealed record WriteSummary
{
    public ulong PagesRam { get; init; }
    public ulong PagesInSource { get; init; }
    public ulong PagesWritten { get; init; }
    public ulong ZeroPages { get; init; }
    /// <summary>The pages went file to file in large chunks, not through the page pipeline: zero pages were not counted.</summary>
    public bool CopiedFromFile { get; init; }
    public ulong ZeroPagesExcluded { get; init; }
    public ulong CompressedPages { get; init; }
    public ulong RawPages { get; init; }
    public ulong LostPages { get; init; }
    public long BytesOut { get; init; }
    public int Segments { get; init; }
    /// <summary>PFNs the output describes (kdump: max_mapnr; else the source's max PFN).</summary>
    public ulong MaxMapnr { get; init; }
}
