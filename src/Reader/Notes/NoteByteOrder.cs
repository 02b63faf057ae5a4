namespace HvDumpKit.Reader.Notes;

/// <summary>
/// Notes re-encoded into the dumped kernel's byte order, for a dumper that wrote them in another
/// (QEMU 7.2's little-endian pseries guests: see Ppc64KernelByteOrder).
/// </summary>
public static class NoteByteOrder
{
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
