namespace HvDumpKit.Reader.Notes;

/// <summary>
/// The dumped kernel's byte order as its notes tell it, and notes re-encoded into that order.
/// QEMU 7.2 writes a little-endian pseries guest's ELF header and notes big-endian (it asks the
/// CPU's interrupt-endianness bit, which a pseries guest does not set); the memory stays
/// little-endian. The saved MSR says what the kernel ran in: MSR_LE, bit 0, is set in a
/// little-endian kernel.
/// </summary>
public static class NoteByteOrder
{
    private const ulong MsrLe = 1, MsrSf = 1UL << 63;
    private const int Ppc64MsrIndex = 33; // pr_reg: gpr0–31, nip, msr

    /// <summary>
    /// The byte order the ppc64 kernel ran in, from the first NT_PRSTATUS whose MSR has MSR_SF set
    /// (a 64-bit kernel always runs with it; a CPU that never saved its registers leaves a zeroed
    /// note, which says nothing); null when no note says.
    /// </summary>
    public static ByteOrder? Ppc64KernelOrder(NoteSet notes)
    {
        foreach (var n in notes.PrStatus)
        {
            if (n.DescSize < PrStatus.RegistersOffset + 8 * (Ppc64MsrIndex + 1)) continue;
            ulong msr = Endian.U64(notes.Desc(n)[(PrStatus.RegistersOffset + 8 * Ppc64MsrIndex)..], notes.ByteOrder);
            if ((msr & MsrSf) == 0) continue;
            return (msr & MsrLe) != 0 ? ByteOrder.Little : ByteOrder.Big;
        }
        return null;
    }

    /// <summary>
    /// The notes of a 64-bit dump in the other byte order. Layouts known field by field are swapped
    /// (NT_PRSTATUS, the u64 register sets NT_PRFPREG and NT_PPC_VSX, the u32 set NT_PPC_SPE,
    /// VMCOREINFO's text); any other note is dropped and named in dropped, not passed on garbled.
    /// </summary>
    public static NoteSet Reencode(NoteSet notes, ByteOrder to, List<string> dropped)
    {
        if (notes.ByteOrder == to) return notes;
        var records = new List<byte[]>();
        foreach (var n in notes.Notes)
        {
            var desc = notes.Desc(n).ToArray();
            bool known = (n.Name, n.Type) switch
            {
                ("CORE", ElfNote.NT_PRSTATUS) => SwapPrStatus64(desc),
                ("CORE", ElfNote.NT_PRFPREG) or ("LINUX", 0x102) or ("CORE", 0x102) => SwapWords(desc, 8),
                ("LINUX", 0x101) or ("CORE", 0x101) => SwapWords(desc, 4),
                ("VMCOREINFO", 0) => true,
                _ => false,
            };
            if (!known) { dropped.Add($"{n.Name}/{n.TypeName}"); continue; }
            records.Add(NoteBuilder.Note(n.Name, n.Type, desc, to));
        }
        var blob = records.SelectMany(r => r).ToArray();
        return NoteSet.Parse(blob, to, 0, DumpLimits.Default);
    }

    // struct elf_prstatus, 64-bit: pr_info (3 × i32), pr_cursig i16 + 2 pad, sigpend and sighold
    // u64, pid/ppid/pgrp/sid i32, four struct timeval (2 × i64), pr_reg (u64s), pr_fpvalid i32.
    private static bool SwapPrStatus64(byte[] d)
    {
        if (d.Length < PrStatus.RegistersOffset) return false;
        foreach (int at in (int[])[0, 4, 8, 32, 36, 40, 44]) Array.Reverse(d, at, 4);
        Array.Reverse(d, 12, 2);
        int regsEnd = d.Length - 8; // pr_fpvalid and its padding close the record
        for (int at = 16; at < 32; at += 8) Array.Reverse(d, at, 8);
        for (int at = 48; at + 8 <= regsEnd; at += 8) Array.Reverse(d, at, 8);
        Array.Reverse(d, regsEnd, 4);
        return true;
    }

    private static bool SwapWords(byte[] d, int width)
    {
        if (d.Length % width != 0) return false;
        for (int at = 0; at < d.Length; at += width) Array.Reverse(d, at, width);
        return true;
    }
}
