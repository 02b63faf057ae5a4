using HvDumpKit.Reader.Arch;

namespace HvDumpKit.Reader.Kernel;

/// <summary>Kernel virtual → physical for one architecture, from VMCOREINFO alone.</summary>
public interface IKernelAddressSpace
{
    PhysicalMemory Memory { get; }
    /// <summary>The physical address of va, or null when unmapped or its tables are not in the dump.</summary>
    ulong? Translate(ulong va);
    /// <summary>
    /// Translation with the physical tables it read (what filtering must keep to translate again).
    /// </summary>
    ulong? Translate(ulong va, List<ulong>? tablesRead);
    bool TryReadVirtual(ulong va, Span<byte> dst);
}

/// <summary>The address space of a dump's machine.</summary>
public static class KernelAddressSpace
{
    /// <summary>Null (with the reason) when the machine is not supported or VMCOREINFO lacks what translation needs.</summary>
    public static IKernelAddressSpace? TryCreate(IDumpSource source, out string? why)
    {
        if (Architectures.For(source.Header.Machine) is { } arch) return arch.TryCreateAddressSpace(source, out why);
        why = NotSupported(source);
        return null;
    }

    /// <summary>Why a machine not in Architectures has no address space: filtering then keeps every page.</summary>
    public static string NotSupported(IDumpSource source) => $"kernel virtual addresses of {source.Header.Machine} are not supported";

    public static IKernelAddressSpace? TryCreate(IDumpSource source) => TryCreate(source, out _);
}
