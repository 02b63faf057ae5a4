using HvDumpKit.Reader;

namespace HvDumpKit.Writers.Selection;

/// <summary>
/// A source whose page selection was decided earlier and saved in a kdump-compressed file's
/// bitmaps: RAM and present PFNs come from that file, page bytes from the source. A resumed save
/// uses it so the dump level is not applied again — the struct pages it would read may sit in
/// memory already given back. The caller keeps owning both.
/// </summary>
public sealed class PresetSelection(IDumpSource pages, IDumpSource selection) : DumpSourceDecorator(pages, ownsInner: false)
{
    public override ulong MaxPfn => selection.MaxPfn;
    public override int DumpLevel => selection.DumpLevel;
    public override IEnumerable<PfnRange> RamRanges() => selection.RamRanges();
    public override IEnumerable<PfnRange> PresentRanges() => selection.PresentRanges();
}
