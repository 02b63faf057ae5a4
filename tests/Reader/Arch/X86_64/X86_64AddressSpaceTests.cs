using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.X86_64;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.X86_64;

/// <summary>
/// x86_64 translation over page tables built in memory: 4- and 5-level walks, 1 GiB, 2 MiB and
/// 4 KiB leaves, not-present entries, sme_mask, and the kernel image by phys_base.
/// </summary>
public sealed class X86_64AddressSpaceTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const int Page = 4096;
    private const ulong Gib = 1UL << 30, Mib2 = 2UL << 20;
    private const ulong DirectMap4 = 0xffff888000000000UL; // PGD slot 273 with 4-level paging
    private const ulong DirectMap5 = 0xff11000000000000UL; // PGD slot 273, P4D slot 0 with 5-level paging
    private const ulong Table = 0x63, Large = 0x83, Leaf4K = 0x63;

    private IDumpSource Dump(byte[] mem, string vmcoreInfo)
    {
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(vmcoreInfo).AddLoad(0, mem);
        return DumpProbe.Open(b.WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
    }

    private static void W64(byte[] mem, ulong pa, ulong v) => Endian.W64(mem.AsSpan((int)pa), v, ByteOrder.Little);

    /// <summary>
    /// 4-level tables, every entry ORed with extra: PGD 0x1000 → PUD 0x2000; PUD[0] a 1 GiB page at 0,
    /// PUD[4] a 1 GiB page at 1 GiB, PUD[1] → PMD 0x3000; PMD[2] a 2 MiB page at 10 MiB, PMD[3] → PT
    /// 0x4000; PT[7] → 0x6000, PT[8] not present; PUD[2] empty.
    /// </summary>
    private static byte[] FourLevel(ulong extra = 0)
    {
        var mem = new byte[16 * Page];
        W64(mem, 0x1000 + 273 * 8, 0x2000 | Table | extra);
        W64(mem, 0x2000 + 0 * 8, 0x0 | Large | extra);
        W64(mem, 0x2000 + 4 * 8, Gib | Large | extra);
        W64(mem, 0x2000 + 1 * 8, 0x3000 | Table | extra);
        W64(mem, 0x3000 + 2 * 8, 5 * Mib2 | Large | extra);
        W64(mem, 0x3000 + 3 * 8, 0x4000 | Table | extra);
        W64(mem, 0x4000 + 7 * 8, 0x6000 | Leaf4K | extra);
        W64(mem, 0x4000 + 8 * 8, 0x7000 | extra); // present bit clear
        for (int i = 0; i < Page; i++) mem[0x6000 + i] = (byte)(i * 7);
        mem.AsSpan(0x8000, Page).Fill(0xAB);
        return mem;
    }

    private static string Info(ulong pgdVa, ulong physBase = 0, bool l5 = false, ulong sme = 0) =>
        $"PAGESIZE=4096\nSYMBOL(init_top_pgt)={pgdVa:x}\nNUMBER(phys_base)={physBase}\n" +
        $"NUMBER(pgtable_l5_enabled)={(l5 ? 1 : 0)}\nNUMBER(sme_mask)={sme}\n";

    private X86_64AddressSpace FourLevelSpace(ulong extra = 0, ulong sme = 0)
    {
        var d = Dump(FourLevel(extra), Info(X86_64AddressSpace.StartKernelMap + 0x1000, sme: sme));
        return X86_64AddressSpace.TryCreate(d) ?? throw new InvalidOperationException("no address space");
    }

    private const ulong Va4K = DirectMap4 + Gib + 3 * Mib2 + 7 * Page;

    [Fact]
    public void FourLevel_OneGibPage_KeepsThe30BitOffset()
    {
        var s = FourLevelSpace();
        Assert.Equal(0x12345678UL, s.Translate(DirectMap4 + 0x12345678));
        Assert.Equal(Gib + 0x3ffff123UL, s.Translate(DirectMap4 + 4 * Gib + 0x3ffff123));
        Assert.Equal((Gib + 0x10, Gib), s.WalkWithSize(DirectMap4 + 4 * Gib + 0x10));
    }

    [Fact]
    public void FourLevel_TwoMibPage_KeepsThe21BitOffset()
    {
        var s = FourLevelSpace();
        ulong va = DirectMap4 + Gib + 2 * Mib2 + 0x1ff123;
        Assert.Equal(5 * Mib2 + 0x1ff123, s.Translate(va));
        Assert.Equal((5 * Mib2 + 0x1ff123, Mib2), s.WalkWithSize(va));
    }

    [Fact]
    public void FourLevel_FourKibPage_VisitsAllFourTables()
    {
        var s = FourLevelSpace();
        var visited = new List<ulong>();
        Assert.Equal(0x6abcUL, s.Walk(Va4K + 0xabc, visited));
        Assert.Equal([0x1000UL, 0x2000, 0x3000, 0x4000], visited);
        Assert.Equal((0x6abcUL, (ulong)Page), s.WalkWithSize(Va4K + 0xabc));
        var tables = new List<ulong>();
        Assert.Equal(0x6010UL, s.Translate(Va4K + 0x10, tables));
        Assert.Equal([0x1000UL, 0x2000, 0x3000, 0x4000], tables);
    }

    [Fact]
    public void FourLevel_NotPresentOrEmptyEntry_IsNull()
    {
        var s = FourLevelSpace();
        Assert.Null(s.Translate(Va4K + Page)); // PT[8]: present bit clear
        Assert.Null(s.WalkWithSize(Va4K + Page));
        Assert.Null(s.Translate(DirectMap4 + 2 * Gib)); // PUD[2] zero
        var visited = new List<ulong>();
        Assert.Null(s.Walk(0xffff880000000000UL, visited)); // PGD slot 272 zero
        Assert.Equal([0x1000UL], visited);
        Assert.False(s.TryReadVirtual(Va4K + Page, new byte[8]));
    }

    [Fact]
    public void SmeMask_StrippedFromEveryEntry()
    {
        const ulong sme = 1UL << 47;
        var s = FourLevelSpace(extra: sme, sme: sme);
        Assert.Equal(0x6010UL, s.Translate(Va4K + 0x10));
        Assert.Equal(5 * Mib2 + 0x42, s.Translate(DirectMap4 + Gib + 2 * Mib2 + 0x42));
        Assert.Null(s.Translate(Va4K + Page));
    }

    [Fact]
    public void SmeBitsWithoutSmeMask_LandOnAnotherAddress()
    {
        // The same tables with bit 47 set and sme_mask not given: the bit stays in the table address.
        var s = FourLevelSpace(extra: 1UL << 47);
        Assert.Null(s.Translate(Va4K + 0x10)); // PUD at 0x8000_0000_2000 is not in the dump
    }

    [Fact]
    public void FiveLevel_WalksTheExtraLevel()
    {
        var mem = new byte[8 * Page];
        W64(mem, 0x1000 + 273 * 8, 0x2000 | Table); // PGD (bits 48–56)
        W64(mem, 0x2000 + 0 * 8, 0x3000 | Table); // P4D (bits 39–47)
        W64(mem, 0x3000 + 0 * 8, 2 * Gib | Large); // PUD: 1 GiB page
        W64(mem, 0x3000 + 1 * 8, 0x4000 | Table); // PUD → PMD
        W64(mem, 0x4000 + 1 * 8, 3 * Mib2 | Large); // PMD: 2 MiB page
        W64(mem, 0x3000 + 2 * 8, 0x0 | Large); // PUD: 1 GiB page at physical 0
        var l5 = X86_64AddressSpace.TryCreate(Dump(mem, Info(X86_64AddressSpace.StartKernelMap + 0x1000, l5: true)));
        Assert.NotNull(l5);
        var visited = new List<ulong>();
        Assert.Equal(2 * Gib + 0x42, l5.Walk(DirectMap5 + 0x42, visited));
        Assert.Equal([0x1000UL, 0x2000, 0x3000], visited);
        Assert.Equal((3 * Mib2 + 0x777, Mib2), l5.WalkWithSize(DirectMap5 + Gib + Mib2 + 0x777));
        Assert.Equal(DirectMap5 + 2 * Gib, l5.FindPageOffset()); // PUD[0] maps 2 GiB, PUD[2] maps 0
        // Read as 4-level, the same VA indexes PGD slot 0, which is empty.
        var l4 = X86_64AddressSpace.TryCreate(Dump(mem, Info(X86_64AddressSpace.StartKernelMap + 0x1000)));
        Assert.NotNull(l4);
        Assert.Null(l4.Translate(DirectMap5 + 0x42));
    }

    [Fact]
    public void KernelImage_ByPhysBase_WithoutWalking()
    {
        // init_top_pgt at __START_KERNEL_map + 0 with phys_base 0x1000: the PGD is at physical 0x1000.
        var mem = FourLevel();
        var s = X86_64AddressSpace.TryCreate(Dump(mem, Info(X86_64AddressSpace.StartKernelMap, physBase: 0x1000)));
        Assert.NotNull(s);
        Assert.Equal(0x1000UL, s.PhysBase);
        var tables = new List<ulong>();
        Assert.Equal(0x6000UL, s.Translate(X86_64AddressSpace.StartKernelMap + 0x5000, tables));
        Assert.Empty(tables);
        Assert.Equal(0x6010UL, s.Translate(Va4K + 0x10)); // the walk starts at phys_base + 0
        var buf = new byte[4];
        Assert.True(s.TryReadVirtual(X86_64AddressSpace.StartKernelMap + 0x7000, buf));
        Assert.Equal(new byte[] { 0xAB, 0xAB, 0xAB, 0xAB }, buf);
    }

    [Fact]
    public void TryReadVirtual_ThroughA4KibLeaf_ReadsTheTargetBytes()
    {
        var s = FourLevelSpace();
        var buf = new byte[16];
        Assert.True(s.TryReadVirtual(Va4K + 0x100, buf));
        Assert.Equal(Enumerable.Range(0x100, 16).Select(i => (byte)(i * 7)).ToArray(), buf);
        // Crossing into PT[8] (not present) fails.
        Assert.False(s.TryReadVirtual(Va4K + Page - 8, new byte[16]));
    }

    [Fact]
    public void FindPageOffset_LowestKernelHalfSlotMappingPhysicalZero()
    {
        Assert.Equal(DirectMap4, FourLevelSpace().FindPageOffset());
    }

    [Fact]
    public void FindPageOffset_NothingMapsZero_IsNull()
    {
        var mem = FourLevel();
        W64(mem, 0x2000, 0); // PUD[0] gone: only 1 GiB (PUD[4]) and deeper pages remain
        var s = X86_64AddressSpace.TryCreate(Dump(mem, Info(X86_64AddressSpace.StartKernelMap + 0x1000)));
        Assert.NotNull(s);
        Assert.Null(s.FindPageOffset());
    }

    [Fact]
    public void TryCreate_FallsBackToInitLevel4Pgt()
    {
        var d = Dump(FourLevel(), $"PAGESIZE=4096\nSYMBOL(init_level4_pgt)={X86_64AddressSpace.StartKernelMap + 0x1000:x}\n");
        var s = X86_64AddressSpace.TryCreate(d);
        Assert.NotNull(s);
        Assert.Equal(0UL, s.PhysBase);
        Assert.Equal(0x6010UL, s.Translate(Va4K + 0x10));
    }

    [Fact]
    public void TryCreate_NoPgdSymbolOrPgdBelowKernelMap_IsNull()
    {
        Assert.Null(X86_64AddressSpace.TryCreate(Dump(FourLevel(), "PAGESIZE=4096\nNUMBER(phys_base)=0\n")));
        Assert.Null(X86_64AddressSpace.TryCreate(Dump(FourLevel(), Info(DirectMap4 + 0x1000))));
    }
}
