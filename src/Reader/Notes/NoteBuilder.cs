using System.Text;
using HvDumpKit.Reader.Arch;

namespace HvDumpKit.Reader.Notes;

/// <summary>ELF note records built from decoded state, in the dumped kernel's byte order.</summary>
public static class NoteBuilder
{
    public const uint NtPrStatus = 1;

    public static byte[] Note(string name, uint type, ReadOnlySpan<byte> desc, ByteOrder order)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name + "\0");
        int nameLen = Align4(nameBytes.Length), descLen = Align4(desc.Length);
        var note = new byte[12 + nameLen + descLen];
        Endian.W32(note, (uint)nameBytes.Length, order);
        Endian.W32(note.AsSpan(4), (uint)desc.Length, order);
        Endian.W32(note.AsSpan(8), type, order);
        nameBytes.CopyTo(note, 12);
        desc.CopyTo(note.AsSpan(12 + nameLen));
        return note;
    }

    /// <summary>
    /// A CORE/NT_PRSTATUS note for one CPU from registers by name (a firmware register save
    /// area's): each in its pr_reg slot of the machine's layout, the rest of the record 0.
    /// </summary>
    public static byte[] PrStatus(PrStatusLayout layout, IReadOnlyDictionary<string, ulong> registers, ByteOrder order)
    {
        var desc = new byte[layout.Size];
        for (int i = 0; i < layout.RegisterNames.Count; i++)
        {
            int at = Notes.PrStatus.RegistersOffset + 8 * i;
            if (at + 8 > desc.Length) break;
            if (registers.TryGetValue(layout.RegisterNames[i], out ulong v)) Endian.W64(desc.AsSpan(at), v, order);
        }
        return Note("CORE", NtPrStatus, desc, order);
    }

    private static int Align4(int n) => (n + 3) & ~3;
}
