using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>
/// Tail pages by the VMCOREINFO key at hand: page.compound_head (to 6.x) or page.compound_info (7.x), and
/// what is kept when neither is there. The synthetic kernel gains an order-1 slab at PFN 20–21 and an
/// order-1 anonymous folio at PFN 22–23, laid out as Linux 7.x lays them out.
/// </summary>
public sealed class PageClassifierTests : IDisposable
{
    private const int StructPages = 7 * SyntheticKernel.Page; // mem_map of SyntheticKernel.Memory
    private const ulong PgHead = 1UL << 16, PgSlab = 1UL << 9;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static ulong StructPage(int pfn) => SyntheticKernel.Kv((ulong)(StructPages + pfn * 64));

    /// <summary>How a tail's word names its head: head address + 1, or 7.x's GENMASK(63, order + log2 SIZE(page)) | 1.</summary>
    public enum TailWord { Pointer, Mask }

    private string Dump(string name, TailWord encoding, Func<string, string> vmcoreInfo)
    {
        var mem = SyntheticKernel.Memory();
        void W64(int pfn, int off, ulong v) => Endian.W64(mem.AsSpan(StructPages + pfn * 64 + off), v, ByteOrder.Little);
        ulong Tail(int head) => encoding == TailWord.Pointer ? StructPage(head) | 1 : ~((1UL << (1 + 6)) - 1) | 1;
        // A slab head and its page[1]: 7.x's folio fields over page[1] leave bit 0 of the mapping word set
        // (all-ones mapcounts), so a tail judged on its own reads as anonymous user data.
        W64(20, 0, PgHead | PgSlab);
        W64(21, 0, 1); // _flags_1: order 1
        W64(21, 8, Tail(20));
        W64(21, 24, ulong.MaxValue);
        // An anonymous order-1 folio: its tail goes with its head.
        W64(22, 0, PgHead);
        W64(22, 24, SyntheticKernel.Kv(0x9000) | 1);
        W64(23, 0, 1);
        W64(23, 8, Tail(22));
        // NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE) selects the 6.9+ compound layout (order in page[1]'s flags).
        var vmci = vmcoreInfo(SyntheticKernel.VmcoreInfo() + "NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)=-201326592\n");
        return new ElfCoreBuilder().PrStatus(1).VmcoreInfo(vmci)
            .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(0))
            .AddLoad(48 * 4096, mem.AsSpan(48 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(48 * 4096))
            .WriteTo(_dir.File(name));
    }

    private static ulong[] Excluded(string path, FilteredDumpSource f)
    {
        using var inner = DumpProbe.Open(path);
        var kept = f.PresentRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count)).Select(x => (ulong)x).ToHashSet();
        return inner.PresentRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count)).Select(x => (ulong)x)
            .Where(p => !kept.Contains(p)).ToArray();
    }

    private static string Rename(string vmci, string key) => vmci.Replace("OFFSET(page.compound_head)=8\n", key);

    [Theory]
    [InlineData("OFFSET(page.compound_head)=8\n", TailWord.Pointer)]   // 6.1, 6.12
    [InlineData("OFFSET(page.compound_info)=8\n", TailWord.Pointer)]   // 7.x without HVO
    [InlineData("OFFSET(page.compound_info)=8\n", TailWord.Mask)]      // 7.x with HVO and a 64-byte struct page (Debian)
    public void TailPages_ByEitherKey_GoWithTheirHead(string key, TailWord encoding)
    {
        var path = Dump("tails.elf", encoding, v => Rename(v, key));
        using var f = new FilteredDumpSource(DumpProbe.Open(path), 31);
        // The slab tail (21) stays with its kept head; the anonymous folio (22–23) goes whole as user data.
        Assert.Equal(new ulong[] { 12, 13, 14, 16, 17, 18, 19, 22, 23 }, Excluded(path, f));
        Assert.Equal((1UL, 1UL, 3UL, 4UL), (f.Stats.Cache, f.Stats.CachePrivate, f.Stats.User, f.Stats.Free));
        Assert.DoesNotContain(f.Warnings, w => w.Contains("page.compound"));
    }

    [Fact]
    public void NoTailKey_PagesJudgedByTheirOwnWordsKept_OneWarningNamesTheKeys()
    {
        var path = Dump("notail.elf", TailWord.Mask, v => Rename(v, ""));
        using var f = new FilteredDumpSource(DumpProbe.Open(path), 31);
        // Only free pages go (a page type is never on a tail); cache, user and the slab tail are kept.
        Assert.Equal(new ulong[] { 16, 17, 18, 19 }, Excluded(path, f));
        Assert.Equal((0UL, 0UL, 0UL, 4UL), (f.Stats.Cache, f.Stats.CachePrivate, f.Stats.User, f.Stats.Free));
        var w = Assert.Single(f.Warnings, w => w.Contains("page.compound"));
        Assert.Contains("neither OFFSET(page.compound_head) nor OFFSET(page.compound_info)", w);
        Assert.Contains("cache, user, offline rules are off", w);
    }

    [Fact]
    public void NoTailKey_Convert_WarnsOnceOnStderrAndInJson()
    {
        var path = Dump("notail-cli.elf", TailWord.Mask, v => Rename(v, ""));
        var outp = _dir.File("notail.kdump");
        var r = CliRunner.Run("convert", path, outp, "--dump-level", "31", "--json", "--stats");
        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Stderr.Split('\n'),
            l => l.StartsWith("hvdump: warning: ", StringComparison.Ordinal) && l.Contains("page.compound_info"));
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.Single(doc.RootElement.GetProperty("warnings").EnumerateArray(), x => x.GetString()!.Contains("page.compound_info"));
        Assert.Equal(0, doc.RootElement.GetProperty("excluded").GetProperty("user").GetInt32());
    }
}
