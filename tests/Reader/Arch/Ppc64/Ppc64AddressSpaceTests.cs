using System.Globalization;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Ppc64;

/// <summary>ppc64 kernel virtual → physical: the linear map, and the vmemmap through vmemmap_list.</summary>
public sealed class Ppc64AddressSpaceTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const ulong K = Ppc64AddressSpace.KernelBase, Vmemmap = 0xc00c000000000000UL;
    private const int ListAt = 0x1000, PsizeAt = 0x2000, DefsAt = 0x3000, NodesAt = 0x4000;

    private static string Info(string? drop = null, params string[] extra)
    {
        string[] lines =
        [
            "OSRELEASE=6.1.0", "PAGESIZE=65536", .. extra,
            $"SYMBOL(vmemmap_list)={K + ListAt:x}", $"SYMBOL(mmu_vmemmap_psize)={K + PsizeAt:x}", $"SYMBOL(mmu_psize_defs)={K + DefsAt:x}",
            "SIZE(vmemmap_backing)=24", "OFFSET(vmemmap_backing.list)=0", "OFFSET(vmemmap_backing.phys)=8", "OFFSET(vmemmap_backing.virt_addr)=16",
            "SIZE(mmu_psize_def)=96", "OFFSET(mmu_psize_def.shift)=0",
        ];
        return string.Join("\n", lines.Where(l => drop is null || !l.StartsWith(drop, StringComparison.Ordinal))) + "\n";
    }

    /// <summary>1 MiB of little-endian memory: two 64 KiB vmemmap blocks at 0x80000 and 0x90000.</summary>
    private IDumpSource Dump(bool loop = false, uint shift = 16, string? drop = null)
    {
        var mem = new byte[1 << 20];
        var o = ByteOrder.Little;
        Endian.W64(mem.AsSpan(ListAt), K + NodesAt, o);
        Endian.W32(mem.AsSpan(PsizeAt), 2, o);
        Endian.W32(mem.AsSpan(DefsAt + 2 * 96), shift, o);
        ulong n1 = NodesAt, n2 = NodesAt + 24;
        Endian.W64(mem.AsSpan((int)n1), K + n2, o);
        Endian.W64(mem.AsSpan((int)n1 + 8), 0x80000, o);
        Endian.W64(mem.AsSpan((int)n1 + 16), Vmemmap, o);
        Endian.W64(mem.AsSpan((int)n2), loop ? K + n1 : 0, o);
        Endian.W64(mem.AsSpan((int)n2 + 8), 0x90000, o);
        Endian.W64(mem.AsSpan((int)n2 + 16), Vmemmap + 0x10000, o);
        "AAAA"u8.CopyTo(mem.AsSpan(0x8fffe));
        "BBBB"u8.CopyTo(mem.AsSpan(0x90000));
        var path = new ElfCoreBuilder { Machine = 21, Order = o, PageSize = 65536 }.VmcoreInfo(Info(drop)).AddLoad(0, mem)
            .WriteTo(_dir.File($"ppc-{loop}-{shift}-{drop?.GetHashCode().ToString(CultureInfo.InvariantCulture) ?? "x"}.elf"));
        return DumpProbe.Open(path);
    }

    [Fact]
    public void LinearMapAndVmemmapBlocks()
    {
        using var d = Dump();
        var a = Ppc64AddressSpace.TryCreate(d, out var why);
        Assert.True(a is not null, why);
        Assert.Equal(2, a!.VmemmapBlocks);
        Assert.Equal(0x10000UL, a.VmemmapBlockSize);
        Assert.Equal(0x1234UL, a.Translate(K + 0x1234));
        Assert.Equal(0x80010UL, a.Translate(Vmemmap + 0x10));
        Assert.Equal(0x90005UL, a.Translate(Vmemmap + 0x10005));
        Assert.Null(a.Translate(Vmemmap + 0x20000)); // past the last block
        Assert.Null(a.Translate(0xd000000000000000UL));
        var b = new byte[4];
        Assert.True(a.TryReadVirtual(Vmemmap + 0xfffe, b)); // across the block boundary: two physical places
        Assert.Equal("AABB"u8.ToArray(), b);
    }

    private const int PgdAt = 0x10000, PudAt = 0x20000, PmdAt = 0x21000, PteAt = 0x22000;

    /// <summary>
    /// A 6.6+ radix kernel's vmemmap: vmemmap_list empty, the struct pages mapped in the kernel page
    /// tables from swapper_pg_dir (big-endian entries): PTEs for the first two 64 KiB pages
    /// (0x80000, 0x90000; the third not present) and a 2 MiB leaf at the PMD for the next 2 MiB (physical 0).
    /// </summary>
    private IDumpSource RadixDump(int radix = 1)
    {
        var mem = new byte[1 << 20];
        var o = ByteOrder.Little;
        Endian.W32(mem.AsSpan(PsizeAt), 2, o);
        Endian.W32(mem.AsSpan(DefsAt + 2 * 96), 21, o);
        const ulong present = 1UL << 63, leaf = 1UL << 62;
        void Be(int at, ulong v) => System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(mem.AsSpan(at), v);
        Be(PgdAt + 0x1800 * 8, present | PudAt | 9); // pgd index of 0xc00c…: bits 39–51
        Be(PudAt, present | PmdAt | 9);
        Be(PmdAt, present | PteAt | 5);
        Be(PmdAt + 8, present | leaf | 0x0 | 0x10e);
        Be(PteAt, present | leaf | 0x80000 | 0x10e); // access bits below the page are not address bits
        Be(PteAt + 8, present | leaf | 0x90000 | 0x10e);
        Be(PteAt + 16, leaf | 0xa0000);
        "AAAA"u8.CopyTo(mem.AsSpan(0x8fffe));
        "BBBB"u8.CopyTo(mem.AsSpan(0x90000));
        var info = Info(null, $"NUMBER(RADIX_MMU)={radix}", $"SYMBOL(swapper_pg_dir)={K + PgdAt:x}");
        var path = new ElfCoreBuilder { Machine = 21, Order = o, PageSize = 65536 }.VmcoreInfo(info).AddLoad(0, mem)
            .WriteTo(_dir.File($"radix-{radix}.elf"));
        return DumpProbe.Open(path);
    }

    [Fact]
    public void EmptyVmemmapListRadix_WalksTheKernelPageTables()
    {
        using var d = RadixDump();
        var a = Ppc64AddressSpace.TryCreate(d, out var why);
        Assert.True(a is not null, why);
        Assert.True(a!.WalksRadixTables);
        Assert.Equal(0x80010UL, a.Translate(Vmemmap + 0x10));
        Assert.Equal(0x90005UL, a.Translate(Vmemmap + 0x10005));
        Assert.Null(a.Translate(Vmemmap + 0x20000)); // _PAGE_PRESENT clear
        Assert.Equal(0x1234UL, a.Translate(Vmemmap + 0x200000 + 0x1234)); // the 2 MiB leaf
        Assert.Null(a.Translate(Vmemmap + 0x400000)); // an empty PMD entry
        var tables = new List<ulong>();
        Assert.Equal(0x90005UL, a.Translate(Vmemmap + 0x10005, tables));
        Assert.Equal([(ulong)PgdAt + 0x1800 * 8, PudAt, PmdAt, PteAt + 8], tables);
        var b = new byte[4];
        Assert.True(a.TryReadVirtual(Vmemmap + 0xfffe, b)); // across two PTEs
        Assert.Equal("AABB"u8.ToArray(), b);
        Assert.Equal(0x1234UL, a.Translate(K + 0x1234));
    }

    [Fact]
    public void EmptyVmemmapListHash_SaysTheVmemmapCannotBeTranslated()
    {
        using var d = RadixDump(radix: 0);
        Assert.Null(Ppc64AddressSpace.TryCreate(d, out var why));
        Assert.Contains("vmemmap_list is empty", why);
        Assert.Contains("hash MMU", why);
    }

    [Fact]
    public void LoopInVmemmapList_IsNamed()
    {
        using var d = Dump(loop: true);
        Assert.Null(Ppc64AddressSpace.TryCreate(d, out var why));
        Assert.Contains("loops back", why);
    }

    [Fact]
    public void ImplausiblePageShift_IsNamed()
    {
        using var d = Dump(shift: 63);
        Assert.Null(Ppc64AddressSpace.TryCreate(d, out var why));
        Assert.Contains("mmu_psize_defs[2].shift", why);
    }

    [Fact]
    public void MissingKeys_SayWhich()
    {
        using var d = Dump(drop: "SYMBOL(vmemmap_list)");
        Assert.Null(Ppc64AddressSpace.TryCreate(d, out var why));
        Assert.Contains("SYMBOL(vmemmap_list)", why);
        // The filter keeps cache, user and free pages and says why, rather than guessing.
        var f = new HvDumpKit.Writers.Selection.FilteredDumpSource(d, 31);
        Assert.False(f.Classifies);
        Assert.Contains(f.Warnings, w => w.Contains("SYMBOL(vmemmap_list)") && w.Contains("are kept"));
    }
}
