using System.Buffers.Binary;
using System.Text;

namespace HvDumpKit.Reader.Arch.Ppc64;

/// <summary>One CPU's registers from a firmware register save area, by pt_regs name.</summary>
public sealed record SavedCpu(uint CpuId, IReadOnlyDictionary<string, ulong> Registers);

/// <summary>
/// The PowerVM/RTAS firmware register save area of a firmware- or hypervisor-assisted dump (the
/// CPU state section): a header {u64 magic "REGSAVE", u32 version, u32 num_cpu_offset}, at
/// num_cpu_offset a u32 CPU count, then per CPU 16-byte {u64 id, u64 value} entries from
/// "CPUSTRT" (value: logical CPU id in the low 32 bits) to "CPUEND". Ids are up to eight ASCII
/// characters packed big-endian ("GPR05", "NIA", "MSR" …). The firmware writes it big-endian
/// whatever the kernel's byte order.
/// </summary>
public static class RegisterSaveArea
{
    public const int HeaderSize = 16;
    public const int EntrySize = 16;
    public const uint MaxCpus = 1 << 14;
    public static readonly ulong Magic = Id("REGSAVE");
    private static readonly ulong CpuStart = Id("CPUSTRT"), CpuEnd = Id("CPUEND");

    /// <summary>An id as the firmware packs it: the characters left-justified in a big-endian u64.</summary>
    public static ulong Id(string s)
    {
        ulong v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (i < s.Length ? (byte)s[i] : 0UL);
        return v;
    }

    public static string Name(ulong id)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, id);
        int n = b.IndexOf((byte)0);
        return Encoding.ASCII.GetString(n < 0 ? b : b[..n]);
    }

    public static bool HasMagic(ReadOnlySpan<byte> area) => area.Length >= 8 && BinaryPrimitives.ReadUInt64BigEndian(area) == Magic;

    /// <summary>Decodes every CPU; offsets in errors are relative to the start of the area plus areaOffset.</summary>
    public static IReadOnlyList<SavedCpu> Parse(ReadOnlySpan<byte> area, long areaOffset = 0)
    {
        if (area.Length < HeaderSize || !HasMagic(area))
            throw DumpFormatException.Field(areaOffset, "reg_save_area_header.magic_number",
                "is not \"REGSAVE\": not a firmware register save area");
        uint numCpuOffset = BinaryPrimitives.ReadUInt32BigEndian(area[12..]);
        if ((ulong)numCpuOffset + 4 > (ulong)area.Length || numCpuOffset < HeaderSize)
            throw DumpFormatException.Field(areaOffset + 12, "reg_save_area_header.num_cpu_offset", numCpuOffset,
                $"lies outside the area (0x{area.Length:X} bytes)");
        uint numCpus = BinaryPrimitives.ReadUInt32BigEndian(area[(int)numCpuOffset..]);
        if (numCpus > MaxCpus)
            throw DumpFormatException.Field(areaOffset + numCpuOffset, "num_cpus", numCpus, $"exceeds the limit of {MaxCpus}");
        int at = (int)numCpuOffset + 4;
        var cpus = new List<SavedCpu>();
        for (uint c = 0; c < numCpus; c++)
        {
            var (id, value) = Entry(area, at, areaOffset, "CPUSTRT");
            if (id != CpuStart)
                throw DumpFormatException.Field(areaOffset + at, "reg_entry.reg_id", id,
                    $"is \"{Name(id)}\" where CPU {c}'s \"CPUSTRT\" belongs");
            uint cpuId = (uint)value;
            at += EntrySize;
            var regs = new Dictionary<string, ulong>();
            // Entries until CPUEND; the area's own length bounds the walk.
            while (true)
            {
                (id, value) = Entry(area, at, areaOffset, "CPUEND");
                at += EntrySize;
                if (id == CpuEnd) break;
                if (id == CpuStart)
                    throw DumpFormatException.Field(areaOffset + at - EntrySize, "reg_entry.reg_id", id,
                        $"starts a CPU before CPU {cpuId}'s \"CPUEND\"");
                if (PtRegsName(Name(id)) is { } name) regs[name] = value;
            }
            cpus.Add(new SavedCpu(cpuId, regs));
        }
        return cpus;
    }

    private static (ulong Id, ulong Value) Entry(ReadOnlySpan<byte> area, int at, long areaOffset, string expecting)
    {
        if (at + EntrySize > area.Length)
            throw DumpFormatException.Field(areaOffset + at, "reg_entry",
                $"is cut off by the end of the area (0x{area.Length:X} bytes) before \"{expecting}\"");
        return (BinaryPrimitives.ReadUInt64BigEndian(area[at..]), BinaryPrimitives.ReadUInt64BigEndian(area[(at + 8)..]));
    }

    /// <summary>The ppc64 pt_regs field a firmware register id fills, or null for those pt_regs lacks (SRR0, FPRs …).</summary>
    public static string? PtRegsName(string id)
    {
        if (id.StartsWith("GPR", StringComparison.Ordinal) && id.Length is 4 or 5 && int.TryParse(id.AsSpan(3),
            out int n) && n is >= 0 and < 32)
            return $"gpr{n}";
        return id switch
        {
            "NIA" => "nip",
            "MSR" => "msr",
            "CTR" => "ctr",
            "LR" => "link",
            "XER" => "xer",
            "CR" => "ccr",
            "DAR" => "dar",
            "DSISR" => "dsisr",
            _ => null,
        };
    }
}
