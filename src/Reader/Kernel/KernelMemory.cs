using HvDumpKit.Reader.Arch;

namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// Reads kernel virtual memory of a dump through its machine's address space for kernel data
/// (IArchitecture.TryCreateDataSpace), with typed reads in the dump's byte order.
/// </summary>
public sealed class KernelMemory
{
    private readonly IKernelAddressSpace _space;

    private KernelMemory(IDumpSource source, IKernelAddressSpace space)
    {
        _space = space;
        ByteOrder = source.Header.ByteOrder;
        Is64Bit = source.Header.Is64Bit;
    }

    public ByteOrder ByteOrder { get; }
    public bool Is64Bit { get; }

    public static KernelMemory? TryCreate(IDumpSource source, out string? why)
    {
        var arch = Architectures.For(source.Header.Machine);
        if (arch is null) { why = KernelAddressSpace.NotSupported(source); return null; }
        var space = arch.TryCreateDataSpace(source, out why);
        return space is null ? null : new KernelMemory(source, space);
    }

    public bool TryRead(ulong va, Span<byte> dst) => _space.TryReadVirtual(va, dst);

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
