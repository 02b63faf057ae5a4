using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader;

/// <summary>
/// A kdump-compressed or raw source read with another VMCOREINFO (makedumpfile -i FILE): its notes
/// carry the new one; the page size stays the format's own (the header states it).
/// An ELF source takes a supplied VMCOREINFO when opened (DumpProbe.Open), since its page size comes from it.
/// </summary>
public sealed class VmcoreInfoOverride(IDumpSource inner, VmcoreInfo info) : DumpSourceDecorator(inner, ownsInner: true)
{
    private readonly NoteSet _notes = inner.Notes.WithVmcoreInfo(info.Text, inner.Header.ByteOrder);
    public override NoteSet Notes => _notes;
    public override VmcoreInfo? VmcoreInfo => info;
}
