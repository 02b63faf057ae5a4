using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>
/// mem_section decoded from the synthetic kernel: SPARSEMEM_EXTREME root at 0x5000 → section array
/// at 0x6000 whose section 0 maps struct pages at 0x7000 (64 bytes each, 2^15 PFNs a section).
/// </summary>
public sealed class MemMapTests : IDisposable
{
    private const int Page = SyntheticKernel.Page;
    private const ulong MemMapBase = SyntheticKernel.PageOffset + 7 * Page;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private IDumpSource Dump(byte[] mem, string vmcoreInfo)
    {
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(vmcoreInfo)
            .AddLoad(0, mem.AsSpan(0, 32 * Page).ToArray(), vaddr: SyntheticKernel.Kv(0))
            .AddLoad(48 * Page, mem.AsSpan(48 * Page).ToArray(), vaddr: SyntheticKernel.Kv(48 * Page));
        return DumpProbe.Open(b.WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
    }

    private static MemMap? Create(IDumpSource d) => MemMap.TryCreate(d, KernelAddressSpace.TryCreate(d)!);

    [Fact]
    public void Extreme_SectionZero_StructPagesFromItsEncodedBase()
    {
        using var d = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo());
        var map = Create(d);
        Assert.NotNull(map);
        Assert.Equal(1UL << 15, map.PagesPerSection);
        Assert.Equal(64L, map.StructPageSize);
        Assert.Equal(1, map.SectionCount);
        Assert.Equal(1UL << 15, map.EndPfn);
        Assert.Equal(MemMapBase, map.StructPage(0));
        Assert.Equal(MemMapBase + 25 * 64, map.StructPage(25));
        Assert.Null(map.StructPage(1UL << 15)); // section 1: beyond the dump's PFNs
    }

    [Fact]
    public void PfnOf_ReversesStructPage_OnlyOnAStructPageBoundary()
    {
        using var d = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo());
        var map = Create(d)!;
        Assert.Equal(25UL, map.PfnOf(MemMapBase + 25 * 64));
        Assert.Equal(0UL, map.PfnOf(MemMapBase));
        Assert.Null(map.PfnOf(MemMapBase + 25 * 64 + 8));
        Assert.Null(map.PfnOf(MemMapBase - 64));
    }

    [Fact]
    public void Classic_TableIsTheSectionArray()
    {
        // LENGTH(mem_section) = NR_MEM_SECTIONS (2^19): no root level, section 0 at the symbol itself.
        var mem = SyntheticKernel.Memory();
        Endian.W64(mem.AsSpan(0x5000), (SyntheticKernel.PageOffset + 0x9000) | 0x3, ByteOrder.Little);
        var vmci = SyntheticKernel.VmcoreInfo().Replace("LENGTH(mem_section)=2048\n", "LENGTH(mem_section)=524288\n");
        using var d = Dump(mem, vmci);
        var map = Create(d)!;
        Assert.Equal(1, map.SectionCount);
        Assert.Equal(SyntheticKernel.PageOffset + 0x9000 + 3 * 64, map.StructPage(3));
    }

    [Theory]
    [InlineData(0x2UL)] // SECTION_HAS_MEM_MAP without SECTION_MARKED_PRESENT
    [InlineData(0x1UL)] // present without a mem_map
    public void SectionFlagMissing_NoSection(ulong flags)
    {
        var mem = SyntheticKernel.Memory();
        Endian.W64(mem.AsSpan(0x6000), MemMapBase | flags, ByteOrder.Little);
        using var d = Dump(mem, SyntheticKernel.VmcoreInfo());
        var map = Create(d)!;
        Assert.Equal(0, map.SectionCount);
        Assert.Equal(0UL, map.EndPfn);
        Assert.Null(map.StructPage(0));
        Assert.Null(map.PfnOf(MemMapBase));
    }

    [Fact]
    public void EncodedBelowKernelHalf_Ignored()
    {
        var mem = SyntheticKernel.Memory();
        Endian.W64(mem.AsSpan(0x6000), 0x7000 | 0x7, ByteOrder.Little);
        using var d = Dump(mem, SyntheticKernel.VmcoreInfo());
        Assert.Equal(0, Create(d)!.SectionCount);
    }

    [Theory]
    [InlineData("SIZE(page)=64\n")]
    [InlineData("SIZE(mem_section)=16\n")]
    [InlineData("OFFSET(mem_section.section_mem_map)=0\n")]
    public void KeyMissing_IsNull(string key)
    {
        using var d = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo().Replace(key, ""));
        Assert.Null(Create(d));
    }

    [Fact]
    public void SectionBitsNotAbovePageShift_IsNull()
    {
        var vmci = SyntheticKernel.VmcoreInfo().Replace("NUMBER(SECTION_SIZE_BITS)=27\n", "NUMBER(SECTION_SIZE_BITS)=12\n");
        using var d = Dump(SyntheticKernel.Memory(), vmci);
        Assert.Null(Create(d));
    }
}
