using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader;

/// <summary>A source read with another VMCOREINFO (makedumpfile -i FILE): everything else is the inner source's.</summary>
public sealed class VmcoreInfoOverride(IDumpSource inner, VmcoreInfo info) : IDumpSource, IBulkPageReader
{
    public string Path => inner.Path;
    public DumpHeader Header => info.PageSize is int ps && ps != inner.Header.PageSize ? inner.Header with { PageSize = ps } : inner.Header;
    public NoteSet Notes => inner.Notes;
    public VmcoreInfo? VmcoreInfo => info;
    public ulong MaxPfn => inner.MaxPfn;
    public int DumpLevel => inner.DumpLevel;
    public IReadOnlyList<string> Warnings => inner.Warnings;
    public IEnumerable<PfnRange> RamRanges() => inner.RamRanges();
    public IEnumerable<PfnRange> PresentRanges() => inner.PresentRanges();
    public PageStatus ReadPage(ulong pfn, Span<byte> page) => inner.ReadPage(pfn, page);
    public bool TryReadPages(ulong pfn, int count, Span<byte> dst) => inner is IBulkPageReader b && b.TryReadPages(pfn, count, dst);
    public void Dispose() => inner.Dispose();
}
