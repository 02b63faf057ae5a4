using System.Text;
using HvDumpKit.Reader.Regions;

namespace HvDumpKit.Reader.Notes;

/// <summary>ELF note records built from decoded state, in the dumped kernel's byte order.</summary>
public static class NoteBuilder
{
    public const uint NtPrStatus = 1;
    /// <summary>ppc64 struct elf_prstatus: the 112-byte prefix, 48 × u64 pr_reg (ELF_NGREG), pr_fpvalid, padding.</summary>
    public const int Ppc64PrStatusSize = 504;
    private const int Ppc64RegisterCount = 48;

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
    /// A CORE/NT_PRSTATUS note for one ppc64 CPU from a firmware register save area, as the kernel's
    /// fadump builds them: registers in pt_regs order, pr_pid 0.
    /// </summary>
    public static byte[] Ppc64PrStatus(SavedCpu cpu, ByteOrder order)
    {
        var desc = new byte[Ppc64PrStatusSize];
        var names = PrStatus.RegisterNames(Machine.Ppc64)!;
        for (int i = 0; i < names.Count && i < Ppc64RegisterCount; i++)
            if (cpu.Registers.TryGetValue(names[i], out ulong v))
                Endian.W64(desc.AsSpan(PrStatus.RegistersOffset + 8 * i), v, order);
        return Note("CORE", NtPrStatus, desc, order);
    }

    private static int Align4(int n) => (n + 3) & ~3;
}
