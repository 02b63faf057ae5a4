using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader;

/// <summary>
/// A source seen through a change to some of its facts (another VMCOREINFO, added notes, a page
/// selection decided earlier): every member forwards to the inner source unless overridden, bulk
/// reads included. Disposes the inner source only when it owns it.
/// </summary>
public abstract class DumpSourceDecorator(IDumpSource inner, bool ownsInner) : IDumpSource, IBulkPageReader, IFileRunSource
{
    protected IDumpSource Inner { get; } = inner;

    public virtual string Path => Inner.Path;
    public virtual DumpHeader Header => Inner.Header;
    public virtual NoteSet Notes => Inner.Notes;
    public virtual VmcoreInfo? VmcoreInfo => Inner.VmcoreInfo;
    public virtual ulong MaxPfn => Inner.MaxPfn;
    public virtual int DumpLevel => Inner.DumpLevel;
    public virtual DumpFacts Facts => Inner.Facts;
    public virtual IReadOnlyList<string> Warnings => Inner.Warnings;
    public virtual IEnumerable<PfnRange> RamRanges() => Inner.RamRanges();
    public virtual IEnumerable<PfnRange> PresentRanges() => Inner.PresentRanges();
    public PageStatus ReadPage(ulong pfn, Span<byte> page) => Inner.ReadPage(pfn, page);
    public bool TryReadPages(ulong pfn, int count, Span<byte> dst) => Inner is IBulkPageReader b && b.TryReadPages(pfn, count, dst);
    public (Microsoft.Win32.SafeHandles.SafeFileHandle File, long Offset, ulong Pages)? FileRun(ulong pfn, ulong maxPages) =>
        Inner is IFileRunSource f ? f.FileRun(pfn, maxPages) : null;

    public void Dispose()
    {
        if (ownsInner) Inner.Dispose();
        GC.SuppressFinalize(this);
    }
}
