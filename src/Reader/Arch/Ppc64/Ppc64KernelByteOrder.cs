using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Arch.Ppc64;

/// <summary>
/// The byte order a ppc64 kernel ran in, from its saved MSR. QEMU 7.2 writes a little-endian
/// pseries guest's ELF header and notes big-endian (it asks the CPU's interrupt-endianness bit,
/// which a pseries guest does not set); the memory stays little-endian. MSR_LE, bit 0, is set in
/// a little-endian kernel.
/// </summary>
public static class Ppc64KernelByteOrder
{
    private const ulong MsrLe = 1, MsrSf = 1UL << 63;
    private const int MsrIndex = 33; // pr_reg: gpr0–31, nip, msr

    /// <summary>
    /// From the first NT_PRSTATUS whose MSR has MSR_SF set (a 64-bit kernel always runs with it;
    /// a CPU that never saved its registers leaves a zeroed note, which says nothing); null when
    /// no note says.
    /// </summary>
    public static ByteOrder? FromNotes(NoteSet notes)
    {
        foreach (var n in notes.PrStatus)
        {
            if (n.DescSize < Notes.PrStatus.RegistersOffset + 8 * (MsrIndex + 1)) continue;
            ulong msr = Endian.U64(notes.Desc(n)[(Notes.PrStatus.RegistersOffset + 8 * MsrIndex)..], notes.ByteOrder);
            if ((msr & MsrSf) == 0) continue;
            return (msr & MsrLe) != 0 ? ByteOrder.Little : ByteOrder.Big;
        }
        return null;
    }
}
