namespace HvDumpKit.Reader.Kernel;

/// <summary>Where makedumpfile stops: the end of the last mem_map section (get_mem_map).</summary>
public static class SparseMem
{
    /// <summary>One past the last PFN covered by a section with a mem_map; null when unknown.</summary>
    public static ulong? EndOfMemMap(IDumpSource source)
    {
        var aspace = KernelAddressSpace.TryCreate(source);
        if (aspace is null) return null;
        var map = MemMap.TryCreate(source, aspace);
        return map is { EndPfn: > 0 } ? map.EndPfn : null;
    }
}
