using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Arch.X86_64;

/// <summary>x86_64: 4 KiB pages, little-endian, the kernel image mapped again at __START_KERNEL_map.</summary>
public sealed class X86_64Architecture : IArchitecture
{
    public static readonly X86_64Architecture Instance = new();

    // struct user_regs_struct, the order ELF_CORE_COPY_REGS stores pt_regs in.
    private static readonly PrStatusLayout Layout = new(
    [
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi",
        "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
    ], "rip", PrStatusSize);

    /// <summary>sizeof(struct elf_prstatus): the 112-byte prefix, 27 × u64 pr_reg, pr_fpvalid, padding.</summary>
    public const int PrStatusSize = 336;

    private X86_64Architecture() { }

    public Machine Machine => Machine.X86_64;
    public string Name => "x86_64";
    public int DefaultPageSize => 4096;
    public PrStatusLayout PrStatus => Layout;

    public IKernelAddressSpace? TryCreateAddressSpace(IDumpSource source, out string? why)
    {
        var x = X86_64AddressSpace.TryCreate(source);
        why = x is not null ? null : source.VmcoreInfo is null ? "the dump has no VMCOREINFO" : "VMCOREINFO lacks SYMBOL(init_top_pgt)";
        return x;
    }

    /// <summary>Kernel data is reached through the same page tables as everything else.</summary>
    public IKernelAddressSpace? TryCreateDataSpace(IDumpSource source, out string? why) => TryCreateAddressSpace(source, out why);

    /// <summary>x86_64 dumpers write the header in the kernel's own order.</summary>
    public ByteOrder? KernelByteOrder(NoteSet notes) => null;

    /// <summary>128 MiB sections; 46 physical address bits, 52 with 5-level paging.</summary>
    public (int SectionSizeBits, int MaxPhysmemBits) SparseMemDefaults(VmcoreInfo vmcoreInfo) =>
        (27, (vmcoreInfo.Number("pgtable_l5_enabled") ?? 0) != 0 ? 52 : 46);

    public ulong DirectMapBase(IDumpSource source) => X86_64AddressSpace.TryCreate(source)?.FindPageOffset() ?? 0;

    public bool IsKernelImageMapping(ulong va, VmcoreInfo? vmcoreInfo) => va >= X86_64AddressSpace.StartKernelMap;

    /// <summary>No x86_64 firmware leaves a CPU state area for a save.</summary>
    public IReadOnlyList<byte[]>? PrStatusNotesFromCpuArea(ReadOnlySpan<byte> area, ByteOrder order) => null;
}
