using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Arm64;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Arm64;

/// <summary>Walks of synthetic swapper_pg_dir tables for each granule and VA size the kernel builds.</summary>
public sealed class Arm64PageTablesTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private Arm64PageTables Tables(Arm64TableBuilder b, int vaBits, bool pa52 = false)
    {
        var d = DumpProbe.Open(b.Vmcore().WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
        return new Arm64PageTables(new PhysicalMemory(d), b.Root, b.PageSize, vaBits, pa52);
    }

    [Theory]
    [InlineData(4096, 48, 4)]
    [InlineData(4096, 39, 3)]
    [InlineData(16384, 47, 3)]
    [InlineData(16384, 36, 2)]
    [InlineData(65536, 42, 2)]
    [InlineData(65536, 48, 3)]
    [InlineData(4096, 52, 5)]
    public void Levels_AsTheKernelSizesThem(int pageSize, int vaBits, int levels) =>
        Assert.Equal(levels, Arm64PageTables.Levels(pageSize, vaBits));

    [Theory]
    [InlineData(4096, 48, 0xffff800012345678UL)]
    [InlineData(4096, 39, 0xffffffc012345678UL)]
    [InlineData(16384, 47, 0xffffc00012345678UL)]
    [InlineData(65536, 42, 0xfffffe0012345678UL)]
    [InlineData(65536, 48, 0xfffffc0012345678UL)]
    public void Page_TranslatesAtTheLastLevel(int pageSize, int vaBits, ulong va)
    {
        var b = new Arm64TableBuilder(pageSize, vaBits);
        ulong page = b.NewPage();
        b.Map(va & ~((ulong)pageSize - 1), page);
        var t = Tables(b, vaBits);
        ulong off = va & ((ulong)pageSize - 1);
        Assert.Equal((page + off, (ulong)pageSize - off), t.Walk(va));
        // The next page is not mapped.
        Assert.Null(t.Walk(va + (ulong)pageSize));
    }

    [Fact]
    public void Walk_RecordsEveryDescriptorItReads()
    {
        var b = new Arm64TableBuilder(4096, 48);
        const ulong va = 0xffff800012345000UL;
        b.Map(va, b.NewPage());
        var read = new List<ulong>();
        Assert.NotNull(Tables(b, 48).Walk(va, read));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => b.Slot(va, i)), read);
    }

    [Theory]
    [InlineData(4096, 48, 1, 1UL << 30)]   // 1 GiB block
    [InlineData(4096, 48, 2, 2UL << 20)]   // 2 MiB block
    [InlineData(4096, 39, 0, 1UL << 30)]   // 3 levels: the top is level 1
    [InlineData(16384, 47, 1, 32UL << 20)] // 32 MiB block
    [InlineData(65536, 42, 0, 512UL << 20)] // 2 levels: the top is level 2
    [InlineData(65536, 48, 1, 512UL << 20)]
    public void Block_TranslatesWithinItsSize(int pageSize, int vaBits, int walkIndex, ulong size)
    {
        var b = new Arm64TableBuilder(pageSize, vaBits);
        ulong va = unchecked((ulong)-(1L << (vaBits - 1))) + 3 * size;
        ulong pa = 5 * size;
        b.Map(va, pa, walkIndex);
        Assert.Equal(size, 1UL << (int)b.Shift(walkIndex));
        var t = Tables(b, vaBits);
        Assert.Equal((pa, size), t.Walk(va));
        Assert.Equal((pa + size - 8, 8UL), t.Walk(va + size - 8));
        Assert.Null(t.Walk(va + size));
    }

    [Fact]
    public void Block_WhereTheArchitectureHasNone_IsNotAMapping()
    {
        var b = new Arm64TableBuilder(4096, 48);
        const ulong va = 0xffff800000000000UL;
        // A level-0 block needs 52-bit output addresses (LPA2, where bits 9:8 are OA[51:50], not shareability).
        b.Write(b.Slot(va, 0), (1UL << 39) | 0x401);
        Assert.Null(Tables(b, 48).Walk(va));
        Assert.Equal((1UL << 39, 1UL << 39), Tables(b, 48, pa52: true).Walk(va));
    }

    [Fact]
    public void Descriptors_InvalidOrReservedAtTheLastLevel_AreNotMappings()
    {
        var b = new Arm64TableBuilder(4096, 48);
        const ulong va = 0xffff800040000000UL;
        ulong page = b.NewPage();
        b.Write(b.Slot(va, 3), page | 0x700);                   // valid bit clear
        b.Write(b.Slot(va + 0x1000, 3), page | 0x701);          // 0b01 at level 3: reserved
        b.Write(b.Slot(va + 0x2000, 3), page | 0x703 | 1UL << 52); // contiguous hint: still a page
        var t = Tables(b, 48);
        Assert.Null(t.Walk(va));
        Assert.Null(t.Walk(va + 0x1000));
        Assert.Equal((page, 0x1000UL), t.Walk(va + 0x2000));
    }

    [Fact]
    public void OutputAddress_UpperAttributesMaskedOff()
    {
        var b = new Arm64TableBuilder(4096, 48);
        const ulong va = 0xffff800000200000UL;
        b.Write(b.Slot(va, 3), 0x0000_1234_5678_9000UL | 0x703 | 0x0060_0000_0000_0000UL | 0xf000_0000_0000_0000UL);
        Assert.Equal((0x0000_1234_5678_9000UL, 0x1000UL), Tables(b, 48).Walk(va));
    }

    [Fact]
    public void OutputAddress_52BitWith64KiB_TakesBits51To48FromBits15To12()
    {
        var b = new Arm64TableBuilder(65536, 52);
        const ulong va = 0xfff8000000000000UL;
        b.Write(b.Slot(va, 2), 0x0000_0001_2345_0000UL | 0xa000 | 0x703);
        Assert.Equal((0x000a_0001_2345_0000UL, 0x10000UL), Tables(b, 52, pa52: true).Walk(va));
        Assert.Equal((0x0000_0001_2345_0000UL, 0x10000UL), Tables(b, 52).Walk(va));
    }

    [Fact]
    public void OutputAddress_52BitWithLpa2_TakesBits51To50FromBits9To8()
    {
        var b = new Arm64TableBuilder(16384, 48);
        const ulong va = 0xffff800000000000UL;
        b.Write(b.Slot(va, 3), 0x0002_0001_2345_4000UL | 0x300 | 0x403);
        Assert.Equal((0x000e_0001_2345_4000UL, 0x4000UL), Tables(b, 48, pa52: true).Walk(va));
    }

    [Fact]
    public void TableLoopingBack_IsAFormatErrorNotAHang()
    {
        var b = new Arm64TableBuilder(4096, 48);
        const ulong va = 0xffff800000000000UL;
        ulong l1 = b.Slot(va, 1);
        b.Write(l1, b.Root | 3); // level 1 points back at swapper_pg_dir
        var e = Assert.Throws<DumpFormatException>(() => Tables(b, 48).Walk(va));
        Assert.Contains("swapper_pg_dir level 1 descriptor", e.FieldName);
        Assert.Contains("loop", e.Problem);
    }

    [Fact]
    public void TableOutsideTheDump_IsNotAMapping()
    {
        var b = new Arm64TableBuilder(4096, 48);
        const ulong va = 0xffff800000000000UL;
        b.Write(b.Slot(va, 0), 0x7_0000_0000UL | 3);
        Assert.Null(Tables(b, 48).Walk(va));
    }
}
