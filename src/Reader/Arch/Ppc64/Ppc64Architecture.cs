using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Arch.Ppc64;

/// <summary>
/// ppc64 (big- and little-endian): 64 KiB pages as distributions build it, the kernel and the
/// direct map in the linear map at 0xc000000000000000, and on PowerVM a firmware register save
/// area for a firmware-assisted dump's CPUs.
/// </summary>
public sealed class Ppc64Architecture : IArchitecture
{
    public static readonly Ppc64Architecture Instance = new();

    /// <summary>sizeof(struct elf_prstatus): the 112-byte prefix, 48 × u64 pr_reg (ELF_NGREG), pr_fpvalid, padding.</summary>
    public const int PrStatusSize = 504;

    // struct pt_regs: gpr0–31, then the special registers, as ppc64_elf_core_copy_regs stores them.
    private static readonly PrStatusLayout Layout = new(
    [
        .. Enumerable.Range(0, 32).Select(i => $"gpr{i}"),
        "nip", "msr", "orig_gpr3", "ctr", "link", "xer", "ccr", "softe", "trap", "dar", "dsisr", "result",
    ], "nip", PrStatusSize);

    private Ppc64Architecture() { }

    public Machine Machine => Machine.Ppc64;
    public string Name => "ppc64";
    public int DefaultPageSize => 65536;
    public PrStatusLayout PrStatus => Layout;

    public IKernelAddressSpace? TryCreateAddressSpace(IDumpSource source, out string? why) => Ppc64AddressSpace.TryCreate(source, out why);

    /// <summary>
    /// The linear map (the kernel image and direct map, where the printk buffers and zone lists
    /// live) is enough, so a dump whose VMCOREINFO does not describe the vmemmap still reads.
    /// </summary>
    public IKernelAddressSpace? TryCreateDataSpace(IDumpSource source, out string? why)
    {
        why = null;
        return Ppc64AddressSpace.TryCreate(source, out _) ?? Ppc64AddressSpace.LinearOnly(source);
    }

    public ByteOrder? KernelByteOrder(NoteSet notes) => Ppc64KernelByteOrder.FromNotes(notes);

    /// <summary>What filtering assumed before machines had their own (x86_64's): every ppc64 kernel tested publishes both.</summary>
    public (int SectionSizeBits, int MaxPhysmemBits) SparseMemDefaults(VmcoreInfo vmcoreInfo) => (27, 46);

    public ulong DirectMapBase(IDumpSource source) => Ppc64AddressSpace.KernelBase;

    /// <summary>The kernel image lies in the linear map, which is the direct map.</summary>
    public bool IsKernelImageMapping(ulong va, VmcoreInfo? vmcoreInfo) => false;

    /// <summary>The PowerVM register save area: notes as the kernel's fadump builds them, pr_pid 0.</summary>
    public IReadOnlyList<byte[]>? PrStatusNotesFromCpuArea(ReadOnlySpan<byte> area, ByteOrder order)
    {
        if (!RegisterSaveArea.HasMagic(area)) return null;
        return [.. RegisterSaveArea.Parse(area, 0).Select(cpu => NoteBuilder.PrStatus(Layout, cpu.Registers, order))];
    }
}
