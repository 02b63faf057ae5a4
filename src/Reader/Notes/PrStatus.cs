namespace HvDumpKit.Reader.Notes;

/// <summary>Decoded struct elf_prstatus: the pid and registers of one CPU at crash time.</summary>
public sealed record PrStatus(int Pid, IReadOnlyList<(string Name, ulong Value)> Registers)
{
    // struct elf_prstatus (64-bit): pr_info 12, pr_cursig 2+2, sigpend 8, sighold 8, then pr_pid.
    public const int PidOffset = 32;
    public const int RegistersOffset = 112;

    private static readonly string[] X86_64 =
    [
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi",
        "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
    ];

    private static readonly string[] Ppc64 = BuildPpc64();

    private static string[] BuildPpc64()
    {
        var names = new List<string>();
        for (int i = 0; i < 32; i++) names.Add($"gpr{i}");
        names.AddRange(["nip", "msr", "orig_gpr3", "ctr", "link", "xer", "ccr", "softe", "trap", "dar", "dsisr", "result"]);
        return names.ToArray();
    }

    /// <summary>Register names for a machine, or null when we do not know its pr_reg layout.</summary>
    public static IReadOnlyList<string>? RegisterNames(Machine m) => m switch
    {
        Machine.X86_64 => X86_64,
        Machine.Ppc64 => Ppc64,
        _ => null,
    };

    /// <summary>The instruction pointer's name for a summary line.</summary>
    public string? InstructionPointer => Registers.FirstOrDefault(r => r.Name is "rip" or "nip").Name is { } n
        ? $"{n}=0x{Registers.First(r => r.Name == n).Value:x16}" : null;

    public static PrStatus Decode(ReadOnlySpan<byte> desc, Machine machine, ByteOrder order, bool is64)
    {
        if (!is64 || desc.Length < PidOffset + 4)
            return new PrStatus(desc.Length >= 28 ? Endian.I32(desc[24..], order) : 0, Array.Empty<(string, ulong)>());
        int pid = Endian.I32(desc[PidOffset..], order);
        var names = RegisterNames(machine);
        var regs = new List<(string, ulong)>();
        if (names is not null)
        {
            for (int i = 0; i < names.Count; i++)
            {
                int at = RegistersOffset + 8 * i;
                if (at + 8 > desc.Length) break;
                regs.Add((names[i], Endian.U64(desc[at..], order)));
            }
        }
        return new PrStatus(pid, regs);
    }
}
