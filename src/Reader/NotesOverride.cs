using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader;

/// <summary>
/// A source with notes added in front of its own (PRSTATUS notes decoded from a register save
/// area when the vmcore carries none); pages and everything else are the inner source's, which
/// the caller keeps owning.
/// </summary>
public sealed class NotesOverride : IDumpSource, IBulkPageReader
{
    private readonly IDumpSource _inner;

    public NotesOverride(IDumpSource inner, byte[] leadingNotes)
    {
        _inner = inner;
        Notes = NoteSet.Parse([.. leadingNotes, .. inner.Notes.Blob], inner.Header.ByteOrder, 0, DumpLimits.Default);
    }

    public string Path => _inner.Path;
    public DumpHeader Header => _inner.Header;
    public NoteSet Notes { get; }
    public VmcoreInfo? VmcoreInfo => _inner.VmcoreInfo;
    public ulong MaxPfn => _inner.MaxPfn;
    public int DumpLevel => _inner.DumpLevel;
    public IReadOnlyList<string> Warnings => _inner.Warnings;
    public IEnumerable<PfnRange> RamRanges() => _inner.RamRanges();
    public IEnumerable<PfnRange> PresentRanges() => _inner.PresentRanges();
    public PageStatus ReadPage(ulong pfn, Span<byte> page) => _inner.ReadPage(pfn, page);
    public bool TryReadPages(ulong pfn, int count, Span<byte> dst) => _inner is IBulkPageReader b && b.TryReadPages(pfn, count, dst);
    public void Dispose() { } // the caller owns the inner source
}
