using System.Runtime.CompilerServices;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Arch.Arm64;

/// <summary>
/// arm64 (AArch64): 4 KiB pages as distributions build it (16 and 64 KiB read from PAGESIZE),
/// little-endian, the kernel image mapped apart from the linear map at kimage_voffset.
/// </summary>
public sealed class Arm64Architecture : IArchitecture
{
    public static readonly Arm64Architecture Instance = new();

    /// <summary>
    /// sizeof(struct elf_prstatus): the 112-byte prefix, 34 × u64 pr_reg (ELF_NGREG: struct
    /// user_pt_regs' regs[31], sp, pc, pstate), pr_fpvalid and padding to 8.
    /// </summary>
    public const int PrStatusSize = 392;

    // struct user_pt_regs, which elf_core_copy_regs copies pt_regs' first 34 words into.
    private static readonly PrStatusLayout Layout = new(
        [.. Enumerable.Range(0, 31).Select(i => $"x{i}"), "sp", "pc", "pstate"], "pc", PrStatusSize);

    // The layout each VMCOREINFO gives, read once: the ELF reader asks about every PT_LOAD while sorting them.
    private static readonly ConditionalWeakTable<VmcoreInfo, Arm64KernelLayout?> Layouts = new();

    private Arm64Architecture() { }

    public Machine Machine => Machine.AArch64;
    public string Name => "aarch64";
    public int DefaultPageSize => 4096;
    public PrStatusLayout PrStatus => Layout;

    public IKernelAddressSpace? TryCreateAddressSpace(IDumpSource source, out string? why)
    {
        try
        {
            return Arm64AddressSpace.Create(source, out why);
        }
        catch (DumpFormatException e)
        {
            // A VMCOREINFO value no kernel has: nothing translates, and the reason names the key.
            why = e.Message;
            return null;
        }
    }

    /// <summary>Kernel data is reached through the same translation as struct pages.</summary>
    public IKernelAddressSpace? TryCreateDataSpace(IDumpSource source, out string? why) => TryCreateAddressSpace(source, out why);

    /// <summary>Every arm64 distribution kernel is little-endian, and dumpers write the header in its order.</summary>
    public ByteOrder? KernelByteOrder(NoteSet notes) => null;

    /// <summary>
    /// A kernel that does not publish them is an old one, and until 5.12 arm64 sections were
    /// 1 GiB (SECTION_SIZE_BITS 30) with 48 physical address bits (52 needs MAX_PHYSMEM_BITS to say so).
    /// </summary>
    public (int SectionSizeBits, int MaxPhysmemBits) SparseMemDefaults(VmcoreInfo vmcoreInfo) => (30, 48);

    /// <summary>The linear map's address of physical 0: PAGE_OFFSET − PHYS_OFFSET (wrapping, as the kernel's own arithmetic).</summary>
    public ulong DirectMapBase(IDumpSource source) =>
        TryCreateAddressSpace(source, out _) is Arm64AddressSpace a ? a.Layout.PageOffset - a.Layout.PhysOffset : 0;

    /// <summary>
    /// A kexec kernel-image PT_LOAD (p_vaddr = _text) repeats linear-map bytes. Where the image lies
    /// depends on VA_BITS and on the kernel version (the halves flipped in 5.4), so only VMCOREINFO
    /// can say: an address in the kernel VA space outside the linear map. Without a usable
    /// VMCOREINFO nothing is called an image, and such a PT_LOAD is read as the overlap it is.
    /// </summary>
    public bool IsKernelImageMapping(ulong va, VmcoreInfo? vmcoreInfo)
    {
        if (vmcoreInfo is null) return false;
        var layout = Layouts.GetValue(vmcoreInfo, LayoutOf);
        return layout is not null && va >= layout.KernelBase && !layout.IsLinear(va);
    }

    private static Arm64KernelLayout? LayoutOf(VmcoreInfo vi)
    {
        try
        {
            return Arm64KernelLayout.TryRead(vi, vi.PageSize ?? Instance.DefaultPageSize, 0, out _);
        }
        catch (DumpFormatException)
        {
            return null; // the address space reports the bad key; here it only means "not known"
        }
    }

    /// <summary>No arm64 firmware leaves a CPU state area for a save.</summary>
    public IReadOnlyList<byte[]>? PrStatusNotesFromCpuArea(ReadOnlySpan<byte> area, ByteOrder order) => null;
}
