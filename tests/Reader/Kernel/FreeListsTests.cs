using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>
/// Zone free lists laid into the synthetic kernel: contig_page_data at PFN 30, one zone, one
/// migrate type; order 0 holds PFN 24 then 40, order 2 holds PFN 16 (lists thread page.lru).
/// </summary>
public sealed class FreeListsTests : IDisposable
{
    private const int Page = SyntheticKernel.Page;
    private const int Pgdat = 30 * Page, NodeData = 30 * Page + 0xF00, Online = 30 * Page + 0xF80;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const string Keys =
        "SIZE(zone)=512\nOFFSET(pglist_data.node_zones)=0\nOFFSET(pglist_data.nr_zones)=2048\nOFFSET(zone.free_area)=16\n" +
        "OFFSET(zone.spanned_pages)=8\nSIZE(free_area)=24\nOFFSET(free_area.free_list)=0\nSIZE(list_head)=16\n" +
        "OFFSET(list_head.next)=0\nOFFSET(list_head.prev)=8\n";

    private static ulong Head(int order) => SyntheticKernel.Kv((ulong)(Pgdat + 16 + order * 24));
    private static ulong Lru(int pfn) => SyntheticKernel.Kv((ulong)(7 * Page + pfn * 64 + 8));

    private static byte[] Memory()
    {
        var mem = SyntheticKernel.Memory();
        void W64(ulong va, ulong v) => Endian.W64(mem.AsSpan((int)(va - SyntheticKernel.PageOffset)), v, ByteOrder.Little);
        mem.AsSpan(Pgdat, Page).Clear();
        Endian.W32(mem.AsSpan(Pgdat + 2048), 1, ByteOrder.Little); // nr_zones
        W64(SyntheticKernel.Kv(Pgdat + 8), 64); // spanned_pages
        for (int o = 0; o < 11; o++) { W64(Head(o), Head(o)); W64(Head(o) + 8, Head(o)); } // empty lists
        void List(int order, params int[] pfns)
        {
            ulong prev = Head(order);
            foreach (int p in pfns) { W64(prev, Lru(p)); W64(Lru(p) + 8, prev); prev = Lru(p); }
            W64(prev, Head(order)); W64(Head(order) + 8, prev);
        }
        List(0, 24, 40);
        List(2, 16);
        return mem;
    }

    private IDumpSource Dump(byte[] mem, string extra)
    {
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(SyntheticKernel.VmcoreInfo() + extra)
            .AddLoad(0, mem.AsSpan(0, 32 * Page).ToArray(), vaddr: SyntheticKernel.Kv(0))
            .AddLoad(48 * Page, mem.AsSpan(48 * Page).ToArray(), vaddr: SyntheticKernel.Kv(48 * Page));
        return DumpProbe.Open(b.WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
    }

    private static FreeLists? Create(IDumpSource d, out string? why) =>
        FreeLists.TryCreate(d, KernelMemory.TryCreate(d, out _)!, MemMap.TryCreate(d, KernelAddressSpace.TryCreate(d)!)!, out why);

    private static List<(ulong, int)> Blocks(FreeLists f, ulong start, ulong end)
    {
        var got = new List<(ulong, int)>();
        f.Walk(start, end, (pfn, order) => got.Add((pfn, order)));
        return got;
    }

    private static string ContigPageData => $"SYMBOL(contig_page_data)={SyntheticKernel.Kv(Pgdat):x}\n";

    [Fact]
    public void Walk_EveryBlockByOrderThenListOrder()
    {
        using var d = Dump(Memory(), Keys + ContigPageData);
        var f = Create(d, out var why);
        Assert.Null(why);
        Assert.NotNull(f);
        Assert.Equal([(24UL, 0), (40UL, 0), (16UL, 2)], Blocks(f, 0, 64));
        Assert.Empty(f.Warnings);
    }

    [Fact]
    public void Walk_OnlyBlocksIntersectingTheRange()
    {
        using var d = Dump(Memory(), Keys + ContigPageData);
        var f = Create(d, out _)!;
        Assert.Equal([(16UL, 2)], Blocks(f, 19, 24)); // 16–19 reaches into the range
        Assert.Empty(Blocks(f, 25, 40));
        Assert.Equal([(40UL, 0)], Blocks(f, 40, 41));
    }

    [Fact]
    public void Walk_BrokenPrevPointer_StopsThatListWithAWarning()
    {
        var mem = Memory();
        Endian.W64(mem.AsSpan(7 * Page + 40 * 64 + 16), Head(0), ByteOrder.Little); // PFN 40's prev should be PFN 24's lru
        using var d = Dump(mem, Keys + ContigPageData);
        var f = Create(d, out _)!;
        Assert.Equal([(24UL, 0), (16UL, 2)], Blocks(f, 0, 64));
        Assert.Equal([$"free list at 0x{Head(0):x} is broken at 0x{Lru(40):x}"], f.Warnings);
    }

    [Fact]
    public void Walk_PgdatNotInTheDump_Warns()
    {
        using var d = Dump(Memory(), Keys + $"SYMBOL(contig_page_data)={SyntheticKernel.Kv(40 * Page):x}\n");
        var f = Create(d, out _)!;
        Assert.Empty(Blocks(f, 0, 64));
        Assert.Equal([$"pglist_data at 0x{SyntheticKernel.Kv(40 * Page):x}: nr_zones unreadable"], f.Warnings);
    }

    [Fact]
    public void NodeData_OnlineNodesOnly()
    {
        var mem = Memory();
        Endian.W64(mem.AsSpan(NodeData), SyntheticKernel.Kv(Pgdat), ByteOrder.Little);
        Endian.W64(mem.AsSpan(NodeData + 8), SyntheticKernel.Kv(Pgdat), ByteOrder.Little);
        string nodes = $"SYMBOL(node_data)={SyntheticKernel.Kv(NodeData):x}\nLENGTH(node_data)=2\n";
        using (var all = Dump(mem, Keys + nodes))
            Assert.Equal(2, Blocks(Create(all, out _)!, 16, 17).Count); // both nodes name the same pglist_data
        mem[Online] = 0b01;
        using var one = Dump(mem, Keys + nodes + $"SYMBOL(node_online_map)={SyntheticKernel.Kv(Online):x}\n");
        Assert.Equal([(16UL, 2)], Blocks(Create(one, out _)!, 16, 17));
    }

    [Fact]
    public void TryCreate_NoNode_SaysSo()
    {
        using var d = Dump(Memory(), Keys);
        Assert.Null(Create(d, out var why));
        Assert.Equal("neither SYMBOL(node_data) nor SYMBOL(contig_page_data) gives a node", why);
    }

    [Fact]
    public void TryCreate_KeysMissing_NamesThem()
    {
        string keys = Keys.Replace("SIZE(zone)=512\n", "").Replace("OFFSET(list_head.prev)=8\n", "");
        using var d = Dump(Memory(), keys + ContigPageData);
        Assert.Null(Create(d, out var why));
        Assert.Equal("the free-list keys SIZE(zone), OFFSET(list_head.prev) are missing", why);
    }
}
