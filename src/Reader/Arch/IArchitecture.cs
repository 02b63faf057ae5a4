using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Arch;

/// <summary>
/// What one machine contributes to reading its dumps: everything the readers and writers would
/// otherwise decide by e_machine. Architectures lists the machines that have one; a dump of any
/// other machine is still read page by page, but nothing that needs kernel virtual addresses works
/// (filtering keeps every page).
/// </summary>
public interface IArchitecture
{
    /// <summary>The ELF e_machine of its dumps.</summary>
    Machine Machine { get; }

    /// <summary>The machine as `uname -m` names a big-endian (or its only) kernel: its folder under Arch/.</summary>
    string Name { get; }

    /// <summary>The page size to assume when VMCOREINFO does not state PAGESIZE.</summary>
    int DefaultPageSize { get; }

    /// <summary>The registers of its NT_PRSTATUS notes.</summary>
    PrStatusLayout PrStatus { get; }

    /// <summary>
    /// Kernel virtual → physical for everything filtering reads (struct pages included), from
    /// VMCOREINFO and physical memory; null with the reason when VMCOREINFO lacks what it needs.
    /// </summary>
    IKernelAddressSpace? TryCreateAddressSpace(IDumpSource source, out string? why);

    /// <summary>
    /// An address space good enough to read kernel data (printk buffers, zone lists), which may
    /// need less of VMCOREINFO than TryCreateAddressSpace.
    /// </summary>
    IKernelAddressSpace? TryCreateDataSpace(IDumpSource source, out string? why);

    /// <summary>
    /// The byte order the kernel ran in, when the notes say it and it may differ from the ELF
    /// header's (a dumper that writes the header in another order); null when nothing says.
    /// </summary>
    ByteOrder? KernelByteOrder(NoteSet notes);

    /// <summary>
    /// SECTION_SIZE_BITS and MAX_PHYSMEM_BITS for a VMCOREINFO without NUMBER()s of them (older
    /// kernels did not publish them): the kernel's own values for this machine.
    /// </summary>
    (int SectionSizeBits, int MaxPhysmemBits) SparseMemDefaults(VmcoreInfo vmcoreInfo);

    /// <summary>The virtual address of physical 0 in the kernel's direct map; 0 when unknown.</summary>
    ulong DirectMapBase(IDumpSource source);

    /// <summary>
    /// Whether va lies in a mapping of the kernel image apart from the direct map, so that a
    /// PT_LOAD at va repeats direct-map bytes (x86_64's __START_KERNEL_map). vmcoreInfo, when the
    /// dump has one, places the image where the machine's layout depends on the kernel (arm64's VA_BITS).
    /// </summary>
    bool IsKernelImageMapping(ulong va, VmcoreInfo? vmcoreInfo);

    /// <summary>
    /// NT_PRSTATUS notes, one per CPU, from a firmware CPU state area; null when the area is not
    /// one this machine's firmware writes. Throws DumpFormatException when it is, but damaged.
    /// </summary>
    IReadOnlyList<byte[]>? PrStatusNotesFromCpuArea(ReadOnlySpan<byte> area, ByteOrder order);
}
