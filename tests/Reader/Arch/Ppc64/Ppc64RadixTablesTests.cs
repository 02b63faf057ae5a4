using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Ppc64;

/// <summary>
/// Radix tables built in memory (big-endian entries): PGD 0x1000 → PUD 0x2000; PUD[0] a 1 GiB leaf
/// at 1 GiB, PUD[1] → PMD 0x3000; PMD[1] a 2 MiB leaf at 6 MiB, PMD[0] → PTE 0x4000.
/// </summary>
public sealed class Ppc64RadixTablesTests : IDisposable
{
    private const ulong Valid = 1UL << 63, Pte = 1UL << 62, Gib = 1UL << 30, Mib2 = 2UL << 20;
    private const ulong Base = 0xc000000000000000UL;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static void W(byte[] mem, int pa, ulong v) => Endian.W64(mem.AsSpan(pa), v, ByteOrder.Big);

    private Ppc64RadixTables Tables(int pageSize, Action<byte[]> ptes)
    {
        var mem = new byte[128 * 1024];
        W(mem, 0x1000, Valid | 0x2000 | 0x0d); // low bits: next-level size, masked off
        W(mem, 0x2000, Valid | Pte | Gib | 0x8e);
        W(mem, 0x2000 + 8, Valid | 0x3000 | 0x09);
        W(mem, 0x3000 + 8, Valid | Pte | 3 * Mib2 | 0x8e);
        W(mem, 0x3000, Valid | 0x4000 | 0x09);
        ptes(mem);
        var b = new ElfCoreBuilder { Machine = 21, Order = ByteOrder.Big }.AddLoad(0, mem);
        var d = DumpProbe.Open(b.WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
        return new Ppc64RadixTables(new PhysicalMemory(d), 0x1000, pageSize);
    }

    private Ppc64RadixTables FourKib() => Tables(4096, mem =>
    {
        W(mem, 0x4000 + 5 * 8, Valid | Pte | 0x9000 | 0x10e);
        W(mem, 0x4000 + 6 * 8, Pte | 0xa000 | 0x10e); // _PAGE_PRESENT clear
    });

    [Fact]
    public void OneGibLeaf_AbovePmd()
    {
        var t = FourKib();
        Assert.Equal((Gib + 0x123, Gib - 0x123), t.Walk(Base + 0x123));
    }

    [Fact]
    public void TwoMibLeaf_AbovePte()
    {
        var t = FourKib();
        Assert.Equal((3 * Mib2 + 0x10, Mib2 - 0x10), t.Walk(Base + Gib + Mib2 + 0x10));
    }

    [Fact]
    public void FourKibPte_EntryAddressesRead()
    {
        var t = FourKib();
        var read = new List<ulong>();
        Assert.Equal((0x9020UL, 4096UL - 0x20), t.Walk(Base + Gib + 5 * 4096 + 0x20, read));
        Assert.Equal([0x1000UL, 0x2000 + 8, 0x3000, 0x4000 + 5 * 8], read);
        // The next address in the same page comes from the remembered leaf.
        Assert.Equal((0x9ffeUL, 2UL), t.Walk(Base + Gib + 5 * 4096 + 0xffe));
    }

    [Fact]
    public void NotPresentOrEmpty_IsNull()
    {
        var t = FourKib();
        Assert.Null(t.Walk(Base + Gib + 6 * 4096)); // PTE without _PAGE_PRESENT
        Assert.Null(t.Walk(Base + Gib + 7 * 4096)); // PTE zero
        Assert.Null(t.Walk(Base + 2 * Gib)); // PUD[2] zero
        var read = new List<ulong>();
        Assert.Null(t.Walk(Base + (1UL << 39), read)); // PGD[1] zero
        Assert.Equal([0x1008UL], read);
    }

    [Fact]
    public void SixtyFourKibPages_FiveBitPteIndexAndRpnFrom16()
    {
        var t = Tables(65536, mem => W(mem, 0x4000 + 2 * 8, Valid | Pte | 0x30000 | 0xfff));
        Assert.Equal((0x31234UL, 65536UL - 0x1234), t.Walk(Base + Gib + 2 * 65536 + 0x1234));
        Assert.Null(t.Walk(Base + Gib + 3 * 65536));
    }

    [Fact]
    public void TableNotInTheDump_IsNull()
    {
        var t = Tables(4096, mem => W(mem, 0x3000, Valid | 0x100000)); // PTE table past the dump
        Assert.Null(t.Walk(Base + Gib + 5 * 4096));
    }
}
