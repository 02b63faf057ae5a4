using System.Text;
using HvDumpKit.Reader;

namespace HvDumpKit.Tests.Builders;

/// <summary>
/// The minimal x86_64 kernel layout of ../shared/synth/mkvmcore.py, rebuilt in C#: 64 pages in
/// two PT_LOADs (hole at PFN 32–47), 4-level page tables with 1 GiB pages, init_uts_ns,
/// a SPARSEMEM_EXTREME mem_section root, struct pages of every class (zero 9–11, cache 12–13,
/// anon 14, buddy 16–19, random 25) and a lockless printk ring with three records.
/// makedumpfile 1.7.2 and crash accept the Python original; the layout here is the same.
/// </summary>
public static class SyntheticKernel
{
    public const int Page = 4096;
    public const ulong PageOffset = 0xffff888000000000UL;
    public const ulong KernelMap = 0xffffffff80000000UL;

    public static ulong Kv(ulong pa) => PageOffset + pa;

    public static byte[] Memory(int npfn = 64, int mmpPfn = 7)
    {
        var mem = new byte[npfn * Page];
        void W64(int pa, ulong v) => Endian.W64(mem.AsSpan(pa), v, ByteOrder.Little);
        void W32(int pa, uint v) => Endian.W32(mem.AsSpan(pa), v, ByteOrder.Little);
        // Page tables: PGD at pfn 1 → PUD at pfn 2 (direct map, slot 273), PUD at pfn 3 (kernel map, slot 511).
        W64(0x1000 + 273 * 8, 0x2000 | 0x63);
        W64(0x2000, 0x0 | 0x83);
        W64(0x1000 + 511 * 8, 0x3000 | 0x63);
        W64(0x3000 + 510 * 8, 0x0 | 0x83);
        string[] uts = ["Linux", "testhost", "6.1.0-test", "#1 SMP PREEMPT_DYNAMIC", "x86_64", "(none)"];
        for (int i = 0; i < uts.Length; i++) Encoding.ASCII.GetBytes(uts[i]).CopyTo(mem, 0x4000 + 4 + 65 * i);
        int mmp = mmpPfn * Page;
        W64(0x5000, Kv(0x6000));
        W64(0x6000, Kv((ulong)mmp) | 0x7);
        void PageStruct(int pfn, ulong flags = 0, ulong mapping = 0, ulong priv = 0, int mapcount = -1, int refcount = 1)
        {
            int b = mmp + pfn * 64;
            W64(b, flags); W64(b + 8, Kv((ulong)b + 8)); W64(b + 16, Kv((ulong)b + 8)); W64(b + 24, mapping);
            W64(b + 40, priv); W32(b + 48, (uint)mapcount); W32(b + 52, (uint)refcount);
        }
        for (int pfn = 0; pfn < npfn; pfn++) PageStruct(pfn);
        foreach (int pfn in Enumerable.Range(12, 20).Concat(Enumerable.Range(48, npfn - 48)))
            mem.AsSpan(pfn * Page, Page).Fill((byte)(pfn & 0xFF));
        var rng = new Random(1);
        rng.NextBytes(mem.AsSpan(25 * Page, Page));
        PageStruct(12, flags: 1UL << 4, mapping: Kv(0x8000));
        PageStruct(13, flags: (1UL << 4) | (1UL << 13), mapping: Kv(0x8000));
        PageStruct(14, flags: 1UL << 4, mapping: Kv(0x8000) | 1);
        PageStruct(16, mapcount: -129, priv: 2, refcount: 0);
        // Lockless printk ring buffer (5.10+ layout).
        int prbPtr = 28 * Page, rb = prbPtr + 0x100, descs = prbPtr + 0x400, infos = prbPtr + 0x800, text = 29 * Page;
        mem.AsSpan(28 * Page, 2 * Page).Clear();
        W64(prbPtr, Kv((ulong)rb));
        W32(rb, 4); W64(rb + 8, Kv((ulong)descs)); W64(rb + 16, Kv((ulong)infos));
        (ulong Ts, string Text)[] msgs = [(1000000, "Linux version 6.1.0-test"), (2500000000, "line one\nline two"), (3000001000, "sysrq: Trigger a crash")];
        int lpos = 0;
        for (int i = 0; i < msgs.Length; i++)
        {
            var t = Encoding.ASCII.GetBytes(msgs[i].Text);
            int begin = lpos, blk = (8 + t.Length + 7) / 8 * 8, next = begin + blk;
            W64(text + begin, (ulong)i); t.CopyTo(mem, text + begin + 8);
            int d = descs + (i % 16) * 24;
            W64(d, (2UL << 62) | (uint)i); W64(d + 8, (ulong)begin); W64(d + 16, (ulong)next);
            int inf = infos + (i % 16) * 88;
            W64(inf, (ulong)i); W64(inf + 8, msgs[i].Ts);
            Endian.W16(mem.AsSpan(inf + 16), (ushort)t.Length, ByteOrder.Little);
            W32(inf + 20, (uint)(1 + i));
            lpos = next;
        }
        W64(rb + 24, (ulong)msgs.Length - 1); W64(rb + 32, 0);
        W32(rb + 48, 12); W64(rb + 56, Kv((ulong)text)); W64(rb + 64, (ulong)lpos); W64(rb + 72, 0);
        return mem;
    }

    public static string VmcoreInfo() =>
        $"SYMBOL(prb)={Kv(28 * Page):x}\nSIZE(printk_ringbuffer)=88\nOFFSET(printk_ringbuffer.desc_ring)=0\nOFFSET(printk_ringbuffer.text_data_ring)=48\n" +
        "OFFSET(prb_desc_ring.count_bits)=0\nOFFSET(prb_desc_ring.descs)=8\nOFFSET(prb_desc_ring.infos)=16\nOFFSET(prb_desc_ring.head_id)=24\nOFFSET(prb_desc_ring.tail_id)=32\n" +
        "SIZE(prb_desc)=24\nOFFSET(prb_desc.state_var)=0\nOFFSET(prb_desc.text_blk_lpos)=8\nOFFSET(prb_data_blk_lpos.begin)=0\nOFFSET(prb_data_blk_lpos.next)=8\n" +
        "SIZE(printk_info)=88\nOFFSET(printk_info.seq)=0\nOFFSET(printk_info.ts_nsec)=8\nOFFSET(printk_info.text_len)=16\nOFFSET(printk_info.caller_id)=20\n" +
        "OFFSET(prb_data_ring.size_bits)=0\nOFFSET(prb_data_ring.data)=8\nOFFSET(prb_data_ring.head_lpos)=16\nOFFSET(prb_data_ring.tail_lpos)=24\n" +
        "SIZE(atomic_long_t)=8\nOFFSET(atomic_long_t.counter)=0\n" +
        "OSRELEASE=6.1.0-test\nPAGESIZE=4096\n" +
        $"SYMBOL(init_uts_ns)={Kv(0x4000):x}\nOFFSET(uts_namespace.name)=4\n" +
        $"SYMBOL(init_top_pgt)={KernelMap + 0x1000:x}\n" +
        $"SYMBOL(mem_section)={Kv(0x5000):x}\nLENGTH(mem_section)=2048\nSIZE(mem_section)=16\nOFFSET(mem_section.section_mem_map)=0\n" +
        "NUMBER(SECTION_SIZE_BITS)=27\nNUMBER(MAX_PHYSMEM_BITS)=46\n" +
        "SIZE(page)=64\nOFFSET(page.flags)=0\nOFFSET(page._refcount)=52\nOFFSET(page.mapping)=24\nOFFSET(page.lru)=8\n" +
        "OFFSET(page._mapcount)=48\nOFFSET(page.private)=40\nOFFSET(page.compound_head)=8\n" +
        "LENGTH(zone.free_area)=11\n" +
        "NUMBER(PG_lru)=4\nNUMBER(PG_private)=13\nNUMBER(PG_swapcache)=10\nNUMBER(PG_swapbacked)=19\nNUMBER(PG_slab)=9\n" +
        "NUMBER(PG_head_mask)=65536\nNUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\nNUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=-257\n" +
        "NUMBER(phys_base)=0\nNUMBER(pgtable_l5_enabled)=0\nKERNELOFFSET=0\nNUMBER(KERNEL_IMAGE_SIZE)=1073741824\n" +
        "CRASHTIME=1700000000\n";

    /// <summary>The whole vmcore, as mkvmcore.py writes it.</summary>
    public static ElfCoreBuilder Vmcore(int npfn = 64)
    {
        var mem = Memory(npfn);
        var b = new ElfCoreBuilder().PrStatus(1234).VmcoreInfo(VmcoreInfo());
        b.AddLoad(0, mem.AsSpan(0, 32 * Page).ToArray(), vaddr: Kv(0));
        b.AddLoad(48 * Page, mem.AsSpan(48 * Page, (npfn - 48) * Page).ToArray(), vaddr: Kv(48 * Page));
        return b;
    }
}
