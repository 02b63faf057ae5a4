using HvDumpKit.Reader;

namespace HvDumpKit.Tests.Builders;

/// <summary>
/// arm64 kernel page tables in a byte array standing for physical memory from physBase: the root
/// (swapper_pg_dir) at the first page, further tables allocated page by page as mappings need them.
/// Levels and the top index width follow the granule and VA size as the kernel sizes them.
/// </summary>
public sealed class Arm64TableBuilder
{
    public const ulong PageAttrs = 0x703, BlockAttrs = 0x701; // AF, inner shareable, valid (+ table/page bit)

    private readonly int _shift, _levels, _topBits;
    private int _next;

    public Arm64TableBuilder(int pageSize, int vaBits, int pages = 32, ulong physBase = 0)
    {
        PageSize = pageSize;
        PhysBase = physBase;
        Memory = new byte[pages * pageSize];
        _shift = System.Numerics.BitOperations.Log2((uint)pageSize);
        _levels = (vaBits - 4) / (_shift - 3);
        _topBits = vaBits - (_shift + (_shift - 3) * (_levels - 1));
        _next = 2; // page 0 stays free, page 1 is the root
    }

    public int PageSize { get; }
    public ulong PhysBase { get; }
    public byte[] Memory { get; }
    public ulong Root => PhysBase + (ulong)PageSize;
    public int Levels => _levels;

    /// <summary>A page of its own for data, returning its physical address.</summary>
    public ulong NewPage() => PhysBase + (ulong)(_next++ * PageSize);

    public ulong Shift(int walkIndex) => (ulong)(_shift + (_shift - 3) * (_levels - 1 - walkIndex));

    /// <summary>The physical address of the descriptor for va at walkIndex, creating tables above it.</summary>
    public ulong Slot(ulong va, int walkIndex)
    {
        ulong table = Root;
        for (int i = 0; ; i++)
        {
            int bits = i == 0 ? _topBits : _shift - 3;
            ulong at = table + ((va >> (int)Shift(i)) & ((1UL << bits) - 1)) * 8;
            if (i == walkIndex) return at;
            ulong d = Read(at);
            if (d == 0) { d = NewPage() | 3; Write(at, d); }
            table = d & 0x0000_ffff_ffff_f000UL & ~((ulong)PageSize - 1);
        }
    }

    /// <summary>Maps va → pa with a page (walkIndex = the last level) or a block above it.</summary>
    public Arm64TableBuilder Map(ulong va, ulong pa, int? walkIndex = null)
    {
        int i = walkIndex ?? _levels - 1;
        Write(Slot(va, i), pa | (i == _levels - 1 ? PageAttrs : BlockAttrs));
        return this;
    }

    public ulong Read(ulong pa) => Endian.U64(Memory.AsSpan((int)(pa - PhysBase)), ByteOrder.Little);
    public void Write(ulong pa, ulong v) => Endian.W64(Memory.AsSpan((int)(pa - PhysBase)), v, ByteOrder.Little);

    /// <summary>An aarch64 ELF vmcore holding Memory at PhysBase.</summary>
    public ElfCoreBuilder Vmcore(string? vmcoreInfo = null)
    {
        var b = new ElfCoreBuilder { Machine = 183, PageSize = PageSize }.AddLoad(PhysBase, Memory);
        return vmcoreInfo is null ? b : b.VmcoreInfo(vmcoreInfo);
    }
}
