using System.Text;
using HvDumpKit.Reader;

namespace HvDumpKit.Tests.Builders;

/// <summary>
/// A huge ELF vmcore that costs no disk: one PT_LOAD of N GiB over a sparse file (holes read as
/// zero), with a minimal kernel layout for filtering. For checking that memory stays flat with dump size.
/// </summary>
public static class SparseVmcore
{
    private const ulong PageOffset = 0xffff888000000000UL, KernelMap = 0xffffffff80000000UL, Vmemmap = 0xffffea0000000000UL;

    /// <summary>
    /// VMCOREINFO of a minimal 6.1-style kernel over the sparse memory: page tables map the direct
    /// map and the kernel image with 1 GiB pages and the vmemmap at physical 1 GiB; mem_section
    /// (SPARSEMEM_EXTREME) points every section at the vmemmap. All-zero struct pages are kept;
    /// one order-10 buddy block per GiB is free.
    /// </summary>
    private static string KernelInfo() =>
        "OSRELEASE=6.1.0-sparse\nPAGESIZE=4096\nCRASHTIME=1700000000\n" +
        $"SYMBOL(init_top_pgt)={KernelMap + 0x1000:x}\nNUMBER(phys_base)=0\nNUMBER(pgtable_l5_enabled)=0\n" +
        $"SYMBOL(mem_section)={PageOffset + 0x6000:x}\nLENGTH(mem_section)=2048\nSIZE(mem_section)=16\nOFFSET(mem_section.section_mem_map)=0\n" +
        "NUMBER(SECTION_SIZE_BITS)=27\nNUMBER(MAX_PHYSMEM_BITS)=46\n" +
        "SIZE(page)=64\nOFFSET(page.flags)=0\nOFFSET(page._refcount)=52\nOFFSET(page.mapping)=24\nOFFSET(page.lru)=8\n" +
        "OFFSET(page._mapcount)=48\nOFFSET(page.private)=40\nOFFSET(page.compound_head)=8\nLENGTH(zone.free_area)=11\n" +
        "NUMBER(PG_lru)=4\nNUMBER(PG_private)=13\nNUMBER(PG_swapcache)=10\nNUMBER(PG_swapbacked)=19\nNUMBER(PG_slab)=9\n" +
        "NUMBER(PG_head_mask)=65536\nNUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n";

    /// <summary>PFNs the kernel layout marks free: one 1024-page buddy block at the start of every GiB from the third.</summary>
    public static ulong FreePages(int gib) => (ulong)Math.Max(0, gib - 2) * 1024;

    public static string Create(string path, int gib)
    {
        var b = new ElfCoreBuilder().VmcoreInfo(KernelInfo());
        var notes = b.NoteBlob();
        ulong memsz = (ulong)gib << 30;
        var hdr = new byte[4096];
        var s = hdr.AsSpan();
        s[0] = 0x7F; s[1] = (byte)'E'; s[2] = (byte)'L'; s[3] = (byte)'F';
        s[4] = 2; s[5] = 1; s[6] = 1;
        var o = ByteOrder.Little;
        Endian.W16(s[16..], 4, o); Endian.W16(s[18..], 62, o); Endian.W32(s[20..], 1, o);
        Endian.W64(s[32..], 64, o); Endian.W16(s[52..], 64, o); Endian.W16(s[54..], 56, o); Endian.W16(s[56..], 2, o);
        var note = s[64..]; // PT_NOTE
        Endian.W32(note, 4, o); Endian.W64(note[8..], 176, o); Endian.W64(note[32..], (ulong)notes.Length, o); Endian.W64(note[40..], (ulong)notes.Length, o);
        var load = s[120..]; // PT_LOAD
        Endian.W32(load, 1, o); Endian.W32(load[4..], 7, o); Endian.W64(load[8..], 4096, o);
        Endian.W64(load[16..], 0xffff888000000000UL, o); Endian.W64(load[32..], memsz, o); Endian.W64(load[40..], memsz, o);
        notes.CopyTo(s[176..]);
        using var f = new FileStream(path, FileMode.Create);
        f.Write(hdr);
        f.SetLength(4096 + (long)memsz);
        void W64(long pa, ulong v) { f.Position = 4096 + pa; Span<byte> x = stackalloc byte[8]; Endian.W64(x, v, o); f.Write(x); }
        void W32(long pa, uint v) { f.Position = 4096 + pa; Span<byte> x = stackalloc byte[4]; Endian.W32(x, v, o); f.Write(x); }
        // Page tables (PGD at 0x1000): direct map slot 273 → PUD 0x2000, kernel map slot 511 → PUD 0x3000,
        // vmemmap slot 468 → PUD 0x5000 whose first 1 GiB page is physical 1 GiB (the struct pages).
        W64(0x1000 + 273 * 8, 0x2000 | 0x63);
        for (int i = 0; i < Math.Max(gib, 1); i++) W64(0x2000 + i * 8, ((ulong)i << 30) | 0x83);
        W64(0x1000 + 511 * 8, 0x3000 | 0x63);
        W64(0x3000 + 510 * 8, 0x0 | 0x83);
        W64(0x1000 + 468 * 8, 0x5000 | 0x63);
        W64(0x5000, (1UL << 30) | 0x83);
        // mem_section roots at 0x6000 → section arrays at 0x7000 + 4 KiB each (256 sections of 16 bytes).
        int sections = gib * 8;
        for (int r = 0; r * 256 < sections; r++)
        {
            W64(0x6000 + r * 8, PageOffset + 0x7000 + (ulong)r * 0x1000);
            for (int sec = r * 256; sec < Math.Min(sections, (r + 1) * 256); sec++)
                W64(0x7000 + r * 0x1000 + (sec % 256) * 16, Vmemmap | 0x3);
        }
        // One free order-10 block per GiB (past the first two, which hold the tables and struct pages).
        for (int g = 2; g < gib; g++)
        {
            long sp = (1L << 30) + ((long)g << 18) * 64;
            W32(sp + 48, 0xFFFFFF7F); // _mapcount = PAGE_BUDDY_MAPCOUNT_VALUE
            W64(sp + 40, 10);         // private = order
        }
        for (int g = 2; g < gib; g++)
        {
            f.Position = 4096 + ((long)g << 30) + (1L << 22); // past the free block
            f.Write(Encoding.ASCII.GetBytes(new string((char)('A' + g % 26), 4096)));
        }
        return path;
    }
}
