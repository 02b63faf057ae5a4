using HvDumpKit.Reader.Arch;

namespace HvDumpKit.Reader.Notes;

/// <summary>Decoded struct elf_prstatus: the pid and registers of one CPU at crash time.</summary>
public sealed record PrStatus(int Pid, IReadOnlyList<(string Name, ulong Value)> Registers, string? ProgramCounter = null)
{
    // struct elf_prstatus (64-bit): pr_info 12, pr_cursig 2+2, sigpend 8, sighold 8, then pr_pid.
    public const int PidOffset = 32;
    public const int RegistersOffset = 112;

    /// <summary>The program counter for a summary line ("rip=0x…"), or null when the machine's layout is unknown.</summary>
    public string? InstructionPointer => ProgramCounter is { } n && Registers.Any(r => r.Name == n)
        ? $"{n}=0x{Registers.First(r => r.Name == n).Value:x16}" : null;

    public static PrStatus Decode(ReadOnlySpan<byte> desc, Machine machine, ByteOrder order, bool is64)
    {
        if (!is64 || desc.Length < PidOffset + 4)
            return new PrStatus(desc.Length >= 28 ? Endian.I32(desc[24..], order) : 0, Array.Empty<(string, ulong)>());
        int pid = Endian.I32(desc[PidOffset..], order);
        var layout = Architectures.For(machine)?.PrStatus;
        var regs = new List<(string, ulong)>();
        if (layout is not null)
        {
            for (int i = 0; i < layout.RegisterNames.Count; i++)
            {
                int at = RegistersOffset + 8 * i;
                if (at + 8 > desc.Length) break;
                regs.Add((layout.RegisterNames[i], Endian.U64(desc[at..], order)));
            }
        }
        return new PrStatus(pid, regs, layout?.ProgramCounter);
    }
}
