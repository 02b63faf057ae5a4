using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>The safety net over the synthetic kernel: SYMBOL() pages, their page tables, mem_section.</summary>
public sealed class KernelDataPagesTests : IDisposable
{
    private const int Page = SyntheticKernel.Page;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private IDumpSource Dump(byte[] mem, string vmci, params (int From, int To)[] pfns)
    {
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(vmci);
        foreach (var (from, to) in pfns)
            b.AddLoad((ulong)(from * Page), mem.AsSpan(from * Page, (to - from) * Page).ToArray(), vaddr: SyntheticKernel.Kv((ulong)(from * Page)));
        return DumpProbe.Open(b.WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
    }

    [Fact]
    public void Find_SymbolsTablesAndMemSection()
    {
        using var d = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo(), (0, 32), (48, 64));
        var set = KernelDataPages.Find(d);
        // PGD 1 and direct-map PUD 2 (walks), init_uts_ns 4, prb 28, init_top_pgt 1 (image mapping);
        // mem_section's 2048 roots span PFN 5–8, and the roots' targets (section array 6, the
        // struct-page words read as roots in 7 and 8) are kept too.
        Assert.Equal([1UL, 2, 4, 5, 6, 7, 8, 28], set.Order().ToArray());
    }

    [Fact]
    public void Find_NoMemSectionLength_OnlySymbolPagesAndTables()
    {
        var vmci = SyntheticKernel.VmcoreInfo().Replace("LENGTH(mem_section)=2048\n", "");
        using var d = Dump(SyntheticKernel.Memory(), vmci, (0, 32), (48, 64));
        Assert.Equal([1UL, 2, 4, 5, 28], KernelDataPages.Find(d).Order().ToArray());
    }

    [Fact]
    public void Find_NoVmcoreInfo_Empty()
    {
        using var d = DumpProbe.Open(new ElfCoreBuilder().AddLoad(0, new byte[4096]).WriteTo(_dir.File("bare.elf")));
        Assert.Empty(KernelDataPages.Find(d));
        Assert.Empty(KernelDataPages.UnreadableSymbols(d));
    }

    [Fact]
    public void UnreadableSymbols_AllPresent_None()
    {
        using var d = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo(), (0, 32), (48, 64));
        Assert.Empty(KernelDataPages.UnreadableSymbols(d));
    }

    [Fact]
    public void UnreadableSymbols_PageDropped_NamesItsSymbol()
    {
        // PFN 28 (prb) and PFN 4 (init_uts_ns) left out of the dump.
        using var d = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo(), (0, 4), (5, 28), (29, 32));
        Assert.Equal(["SYMBOL(prb)", "SYMBOL(init_uts_ns)"], KernelDataPages.UnreadableSymbols(d));
    }

    [Fact]
    public void UnreadableSymbols_NotInTheSourceEither_NotALoss()
    {
        // The output lost PFN 28 (prb) and PFN 4 (init_uts_ns); the source never had PFN 4, as arm64's
        // SYMBOL(vmemmap) (the struct page of PFN 0) is not in a dump whose RAM starts at PHYS_OFFSET.
        using var output = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo(), (0, 4), (5, 28), (29, 32));
        using var source = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo(), (0, 4), (5, 32));
        Assert.Equal(["SYMBOL(prb)"], KernelDataPages.UnreadableSymbols(output, source));
    }
}
