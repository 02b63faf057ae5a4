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
        why = null;
        switch (source.Header.Machine)
        {
            case Machine.X86_64:
                var x = X86_64AddressSpace.TryCreate(source);
                if (x is null) why = source.VmcoreInfo is null ? "the dump has no VMCOREINFO" : "VMCOREINFO lacks SYMBOL(init_top_pgt)";
                return x;
            case Machine.Ppc64:
                return Ppc64AddressSpace.TryCreate(source, out why);
            default:
                why = $"kernel virtual addresses of {source.Header.Machine} are not supported";
                return null;
        }
    }

    public static IKernelAddressSpace? TryCreate(IDumpSource source) => TryCreate(source, out _);
}
