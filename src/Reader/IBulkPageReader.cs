namespace HvDumpKit.Reader;

/// <summary>
/// Optional fast path of a source: many consecutive pages with one positional read where they
/// sit contiguously in the file (an ELF PT_LOAD, a raw image). One pread per page costs more
/// than the copy itself at these sizes.
/// </summary>
public interface IBulkPageReader
{
    /// <summary>Reads count pages from pfn into dst when all are present and contiguous in the file; false otherwise (nothing is promised
    /// about dst).</summary>
    bool TryReadPages(ulong pfn, int count, Span<byte> dst);
}
