namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// Reads kernel virtual memory of a dump: the x86_64 page-table walk, or the ppc64 linear map
/// (va − 0xc000000000000000 for the kernel image and direct map, where the printk buffers live).
/// </summary>
public sealed class KernelMemory
{
    private const ulong Ppc64KernelBase = 0xc000000000000000UL;
    private readonly X86_64AddressSpace? _x86;
    private readonly PhysicalMemory _phys;

    private KernelMemory(IDumpSource source, X86_64AddressSpace? x86)
    {
        _x86 = x86;
        _phys = x86?.Memory ?? new PhysicalMemory(source);
        ByteOrder = source.Header.ByteOrder;
        Is64Bit = source.Header.Is64Bit;
    }

    public ByteOrder ByteOrder { get; }
    public bool Is64Bit { get; }

    public static KernelMemory? TryCreate(IDumpSource source, out string? why)
    {
        why = null;
        switch (source.Header.Machine)
        {
            case Machine.X86_64:
                var a = X86_64AddressSpace.TryCreate(source);
                if (a is null) { why = "VMCOREINFO lacks SYMBOL(init_top_pgt)"; return null; }
                return new KernelMemory(source, a);
            case Machine.Ppc64:
                return new KernelMemory(source, null);
            default:
                why = $"kernel virtual addresses of {source.Header.Machine} are not supported";
                return null;
        }
    }

    public bool TryRead(ulong va, Span<byte> dst)
    {
        if (_x86 is not null) return _x86.TryReadVirtual(va, dst);
        if (va < Ppc64KernelBase || va >= 0xc008000000000000UL) return false;
        return _phys.TryRead(va - Ppc64KernelBase, dst);
    }

    public ulong? U64(ulong va)
    {
        Span<byte> b = stackalloc byte[8];
        return TryRead(va, b) ? Endian.U64(b, ByteOrder) : null;
    }

    public uint? U32(ulong va)
    {
        Span<byte> b = stackalloc byte[4];
        return TryRead(va, b) ? Endian.U32(b, ByteOrder) : null;
    }

    public ushort? U16(ulong va)
    {
        Span<byte> b = stackalloc byte[2];
        return TryRead(va, b) ? Endian.U16(b, ByteOrder) : null;
    }
}
