namespace HvDumpKit.Reader;

public enum DumpFormat { Unknown, Elf, Kdump, Flattened, Raw }

/// <summary>Architectures by ELF e_machine, named as the kernel's `uname -m`.</summary>
public enum Machine : ushort
{
    Unknown = 0, I386 = 3, Mips = 8, Ppc = 20, Ppc64 = 21, S390 = 22, Arm = 40,
    X86_64 = 62, AArch64 = 183, RiscV = 243, LoongArch = 258,
}

public static class MachineNames
{
    public static string UtsMachine(Machine m, ByteOrder order) => m switch
    {
        Machine.X86_64 => "x86_64",
        Machine.I386 => "i686",
        Machine.Ppc64 => order == ByteOrder.Little ? "ppc64le" : "ppc64",
        Machine.Ppc => "ppc",
        Machine.AArch64 => "aarch64",
        Machine.S390 => "s390x",
        Machine.Arm => "arm",
        Machine.RiscV => "riscv64",
        Machine.LoongArch => "loongarch64",
        Machine.Mips => "mips",
        _ => "unknown",
    };

    public static Machine FromUts(string name) => name switch
    {
        "x86_64" => Machine.X86_64,
        "i386" or "i486" or "i586" or "i686" => Machine.I386,
        "ppc64" or "ppc64le" => Machine.Ppc64,
        "aarch64" or "arm64" => Machine.AArch64,
        "s390x" => Machine.S390,
        "riscv64" => Machine.RiscV,
        "loongarch64" => Machine.LoongArch,
        _ when name.StartsWith("arm", StringComparison.Ordinal) => Machine.Arm,
        _ => Machine.Unknown,
    };
}
