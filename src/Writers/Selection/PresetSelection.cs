using HvDumpKit.Reader;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Writers.Selection;

/// <summary>
/// A source whose page selection was decided earlier and saved in a kdump-compressed file's
/// bitmaps: RAM and present PFNs come from that file, page bytes from the source. A resumed save
/// uses it so the dump level is not applied again — the struct pages it would read may sit in
/// memory already given back.
/// </summary>
public sealed class PresetSelection(IDumpSource pages, IDumpSource selection) : IDumpSource
{
    public string Path => pages.Path;
    public DumpHeader Header => pages.Header;
    public NoteSet Notes => pages.Notes;
    public VmcoreInfo? VmcoreInfo => pages.VmcoreInfo;
    public ulong MaxPfn => selection.MaxPfn;
    public int DumpLevel => selection.DumpLevel;
    public IReadOnlyList<string> Warnings => pages.Warnings;
    public IEnumerable<PfnRange> RamRanges() => selection.RamRanges();
    public IEnumerable<PfnRange> PresentRanges() => selection.PresentRanges();
    public PageStatus ReadPage(ulong pfn, Span<byte> page) => pages.ReadPage(pfn, page);
    public void Dispose() { }
}
