using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader;

/// <summary>
/// A source with notes added in front of its own (PRSTATUS notes decoded from a register save
/// area when the vmcore carries none); pages and everything else are the inner source's, which
/// the caller keeps owning.
/// </summary>
public sealed class NotesOverride(IDumpSource inner, byte[] leadingNotes) : DumpSourceDecorator(inner, ownsInner: false)
{
    public override NoteSet Notes { get; } = NoteSet.Parse([.. leadingNotes, .. inner.Notes.Blob], inner.Header.ByteOrder, 0,
        DumpLimits.Default);
}
