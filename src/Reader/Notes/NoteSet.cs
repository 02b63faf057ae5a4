namespace HvDumpKit.Reader.Notes;

/// <summary>
/// The concatenated PT_NOTE bytes of a dump (what makedumpfile copies verbatim into the
/// kdump sub-header area) and the note records found in them. The blob is small (a few KiB per
/// CPU) and capped by DumpLimits.MaxNoteBytes, so it is held in memory.
/// </summary>
public sealed class NoteSet
{
    public static NoteSet Empty { get; } = new(Array.Empty<byte>(), Array.Empty<ElfNote>(), ByteOrder.Little);

    public NoteSet(byte[] blob, IReadOnlyList<ElfNote> notes, ByteOrder order)
    {
        Blob = blob;
        Notes = notes;
        ByteOrder = order;
    }

    public byte[] Blob { get; }
    public IReadOnlyList<ElfNote> Notes { get; }
    public ByteOrder ByteOrder { get; }

    public ReadOnlySpan<byte> Desc(ElfNote note) => Blob.AsSpan(note.DescOffset, note.DescSize);

    public ElfNote? VmcoreInfoNote => Notes.FirstOrDefault(n => n.IsVmcoreInfo);

    public IEnumerable<ElfNote> PrStatus => Notes.Where(n => n.IsPrStatus);

    /// <summary>
    /// Walks note records. Zero padding after the last record (n_namesz == 0, as the kernel's
    /// final_note and page-padded PT_NOTEs leave) ends the walk quietly.
    /// </summary>
    /// <param name="blobFileOffset">where the blob starts in the file, for error offsets</param>
    public static NoteSet Parse(byte[] blob, ByteOrder order, long blobFileOffset, DumpLimits limits)
    {
        var notes = new List<ElfNote>();
        int at = 0;
        while (at + 12 <= blob.Length)
        {
            var hdr = blob.AsSpan(at, 12);
            uint namesz = Endian.U32(hdr, order);
            uint descsz = Endian.U32(hdr[4..], order);
            uint type = Endian.U32(hdr[8..], order);
            if (namesz == 0 && descsz == 0 && type == 0)
                break; // padding
            if (notes.Count >= limits.MaxNotes)
                throw DumpFormatException.Field(blobFileOffset + at, "PT_NOTE", (ulong)notes.Count, "holds more notes than the limit");
            ulong nameEnd = (ulong)at + 12 + Align4(namesz);
            if (nameEnd > (ulong)blob.Length)
                throw DumpFormatException.Field(blobFileOffset + at, "n_namesz", namesz,
                    $"runs past the end of the note segment (0x{blob.Length:X} bytes)");
            ulong descEnd = nameEnd + Align4(descsz);
            // The last descriptor may lack its padding when the segment was cut to the exact length.
            if (nameEnd + descsz > (ulong)blob.Length)
                throw DumpFormatException.Field(blobFileOffset + at + 4, "n_descsz", descsz,
                    $"runs past the end of the note segment (0x{blob.Length:X} bytes)");
            int nameLen = (int)namesz;
            var nameBytes = blob.AsSpan(at + 12, nameLen);
            int nul = nameBytes.IndexOf((byte)0);
            if (nul >= 0) nameBytes = nameBytes[..nul];
            string name = System.Text.Encoding.ASCII.GetString(nameBytes);
            notes.Add(new ElfNote(name, type, at, (int)nameEnd, (int)descsz));
            at = (int)Math.Min(descEnd, (ulong)blob.Length);
        }
        return new NoteSet(blob, notes, order);
    }

    /// <summary>
    /// These notes with their VMCOREINFO note (if any) replaced by one holding text, in this set's
    /// byte order (an empty set takes the dump's, dumpOrder).
    /// </summary>
    public NoteSet WithVmcoreInfo(string text, ByteOrder dumpOrder)
    {
        var order = Notes.Count == 0 ? dumpOrder : ByteOrder;
        var blob = new List<byte>();
        foreach (var n in Notes.Where(n => !n.IsVmcoreInfo))
            blob.AddRange(NoteBuilder.Note(n.Name, n.Type, Desc(n), order));
        blob.AddRange(NoteBuilder.Note("VMCOREINFO", 0, System.Text.Encoding.ASCII.GetBytes(text), order));
        return Parse([.. blob], order, 0, DumpLimits.Default with { MaxNotes = Math.Max(DumpLimits.Default.MaxNotes, Notes.Count + 1) });
    }

    private static ulong Align4(uint v) => ((ulong)v + 3) & ~3UL;
}
