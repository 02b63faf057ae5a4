using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>makedumpfile's max_mapnr: the end of the last section with a mem_map.</summary>
public sealed class SparseMemTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EndOfMemMap_SyntheticKernel_OneWholeSection()
    {
        using var d = DumpProbe.Open(SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf")));
        Assert.Equal(1UL << 15, SparseMem.EndOfMemMap(d)); // SECTION_SIZE_BITS 27, 4 KiB pages
    }

    [Fact]
    public void EndOfMemMap_NoSectionHasAMemMap_IsNull()
    {
        var mem = SyntheticKernel.Memory();
        Endian.W64(mem.AsSpan(0x6000), 0, ByteOrder.Little);
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(SyntheticKernel.VmcoreInfo())
            .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(0));
        using var d = DumpProbe.Open(b.WriteTo(_dir.File("e.elf")));
        Assert.Null(SparseMem.EndOfMemMap(d));
    }

    [Fact]
    public void EndOfMemMap_NoVmcoreInfo_IsNull()
    {
        using var d = DumpProbe.Open(new ElfCoreBuilder().AddLoad(0, new byte[4096]).WriteTo(_dir.File("bare.elf")));
        Assert.Null(SparseMem.EndOfMemMap(d));
    }
}
