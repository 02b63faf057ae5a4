namespace HvDumpKit.Reader.Arch;

/// <summary>
/// A machine's 64-bit struct elf_prstatus: pr_reg's u64 registers in the order its kernel stores
/// them (struct pt_regs or user_regs_struct), the one holding the program counter, and the size of
/// the whole record (the 112-byte prefix, pr_reg, pr_fpvalid and padding).
/// </summary>
public sealed record PrStatusLayout(IReadOnlyList<string> RegisterNames, string ProgramCounter, int Size);
