using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Writers;

public sealed class RoundTripTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Synth() => SyntheticKernel.Vmcore().WriteTo(_dir.File("synth.elf"));

    [Theory]
    [InlineData("kdump", PageCompression.Zlib)]
    [InlineData("kdump", PageCompression.Lzo)]
    [InlineData("kdump", PageCompression.Snappy)]
    [InlineData("kdump", PageCompression.Zstd)]
    [InlineData("kdump", PageCompression.None)]
    [InlineData("flat", PageCompression.Zlib)]
    [InlineData("flat", PageCompression.Zstd)]
    [InlineData("elf", PageCompression.None)]
    [InlineData("raw", PageCompression.None)]
    public void Convert_EveryFormatAndCodec_KeepsEveryPageAndNote(string format, PageCompression comp)
    {
        var input = Synth();
        var output = _dir.File("out." + format);
        Builders.Convert.To(input, output, format, comp);
        using var a = DumpProbe.Open(input);
        using var b = DumpProbe.Open(output);
        Assert.Equal(a.PresentRanges().ToArray(), b.PresentRanges().ToArray());
        Assert.Equal(a.RamRanges().ToArray(), b.RamRanges().ToArray());
        Assert.Equal(a.Notes.Blob, b.Notes.Blob);
        Assert.Equal(a.VmcoreInfo!.Text, b.VmcoreInfo!.Text);
        Assert.Equal(a.Header.Machine, b.Header.Machine);
        Builders.Convert.AssertSamePages(a, b);
    }

    [Fact]
    public void Convert_ChainElfKdumpFlatRawElf_KeepsEverything()
    {
        var input = Synth();
        string k = _dir.File("a.kdump"), f = _dir.File("b.flat"), r = _dir.File("c.raw"), e = _dir.File("d.elf");
        Builders.Convert.To(input, k, "kdump", PageCompression.Lzo);
        Builders.Convert.To(k, f, "flat", PageCompression.Snappy);
        Builders.Convert.To(f, r, "raw");
        Builders.Convert.To(r, e, "elf");
        using var a = DumpProbe.Open(input);
        using var z = DumpProbe.Open(e);
        Assert.Equal(a.Notes.Blob, z.Notes.Blob);
        Assert.Equal(a.PresentRanges().ToArray(), z.PresentRanges().ToArray());
        Builders.Convert.AssertSamePages(a, z);
    }

    [Fact]
    public void KdumpWriter_WorkedExample_LayoutMatchesMakedumpfile()
    {
        // kdump-compressed.md §10: the same input under `makedumpfile -c -d 1`.
        var input = Synth();
        var output = _dir.File("out.kdump");
        var summary = Builders.Convert.To(input, output, "kdump", PageCompression.Zlib, level: 1);
        using var k = (KdumpDumpSource)DumpProbe.Open(output);
        var h = k.Kdump;
        Assert.Equal(6, h.HeaderVersion);
        Assert.Equal(4096, h.BlockSize);
        Assert.Equal(64UL, h.MaxMapnr);
        Assert.Equal(1, h.SubHdrSize);
        Assert.Equal(2U, h.BitmapBlocks);
        Assert.Equal(1, h.NrCpus);
        Assert.Equal(PageCompression.Zlib, h.Compression);
        Assert.False(h.Incomplete);
        Assert.Equal(1700000000L, h.TimestampSec);
        Assert.Equal(4096 + 104, h.OffsetNote);
        Assert.Equal(1, h.DumpLevel);
        Assert.Equal(16384L, h.DescriptorsOffset);
        Assert.Equal(48UL, k.DumpablePages);
        Assert.Equal("testhost", h.Nodename);      // read from init_uts_ns through the page tables
        Assert.Equal("6.1.0-test", h.Release);
        Assert.Equal("x86_64", h.Machine);
        var bytes = File.ReadAllBytes(output);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF }, bytes.AsSpan(8192, 8).ToArray());
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF }, bytes.AsSpan(12288, 8).ToArray());
        // Zero pages (0, 8, 9, 10, 11, as in the spec) share one zero page right after the descriptors.
        long p = 16384 + 48 * 24;
        Assert.Equal(p, BitConverter.ToInt64(bytes, 16384));             // pfn 0
        Assert.Equal(p, BitConverter.ToInt64(bytes, 16384 + 9 * 24));    // pfn 9
        Assert.Equal(5U, (uint)summary.ZeroPagesExcluded);
        // pfn 25 is random: stored raw (flags 0, size 4096).
        Assert.Equal(4096U, BitConverter.ToUInt32(bytes, 16384 + 25 * 24 + 8));
        Assert.Equal(0U, BitConverter.ToUInt32(bytes, 16384 + 25 * 24 + 12));
        // The VMCOREINFO offset points into the note blob at the descriptor.
        Assert.Equal(4096 + 104 + (12 + 8 + 336) + 12 + 12, h.OffsetVmcoreinfo);
    }

    [Fact]
    public void ElfWriter_DumpLevel1_LongZeroRunBecomesHole()
    {
        var mem = new byte[1024 * 4096];
        for (int pfn = 0; pfn < 1024; pfn++) if (pfn < 64 || pfn >= 900) mem.AsSpan(pfn * 4096, 4096).Fill((byte)(pfn | 1));
        var b = new ElfCoreBuilder().VmcoreInfo("PAGESIZE=4096\nOSRELEASE=6.1\n").AddLoad(0x30000, mem);
        var input = b.WriteTo(_dir.File("zeros.elf"));
        var output = _dir.File("zeros.out.elf");
        var s = Builders.Convert.To(input, output, "elf", level: 1);
        using var e = (HvDumpKit.Reader.Elf.ElfDumpSource)DumpProbe.Open(output);
        var loads = e.Loads.ToList();
        Assert.Equal(2, loads.Count);
        Assert.Equal((0x30000UL, 64 * 4096UL, 900 * 4096UL), (loads[0].PhysicalAddress, loads[0].FileSize, loads[0].MemorySize));
        Assert.Equal((0x30000UL + 900 * 4096, 124 * 4096UL, 124 * 4096UL), (loads[1].PhysicalAddress, loads[1].FileSize, loads[1].MemorySize));
        Assert.Equal(64UL, e.ElfHeader.PhOff);
        Assert.Equal(836UL, s.ZeroPagesExcluded);
        using var a = DumpProbe.Open(input);
        Builders.Convert.AssertSamePages(a, e, allowZeroExcluded: true);
    }

    [Fact]
    public void ElfWriter_QemuPagingFalseSource_FillsDirectMapVaddr()
    {
        // QEMU paging=false writes p_vaddr = p_paddr; gdb and drgn need the direct map address.
        var mem = SyntheticKernel.Memory();
        var b = new ElfCoreBuilder { QemuLayout = true }.PrStatus(1).VmcoreInfo(SyntheticKernel.VmcoreInfo())
            .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray()).AddLoad(48 * 4096, mem.AsSpan(48 * 4096).ToArray());
        var input = b.WriteTo(_dir.File("qemu.elf"));
        Builders.Convert.To(input, _dir.File("fixed.elf"), "elf");
        using var e = (HvDumpKit.Reader.Elf.ElfDumpSource)DumpProbe.Open(_dir.File("fixed.elf"));
        Assert.Equal(SyntheticKernel.PageOffset, e.Loads.First().VirtualAddress);
        Assert.Equal(SyntheticKernel.PageOffset + 48 * 4096, e.Loads.Last().VirtualAddress);
        Assert.Empty(e.Warnings);
    }

    [Fact]
    public void KdumpWriter_BigEndianSource_WritesTargetByteOrder()
    {
        var b = new ElfCoreBuilder { Order = ByteOrder.Big, Machine = 21 }.PrStatus(3).VmcoreInfo("OSRELEASE=6.1.0\nPAGESIZE=65536\n")
            .AddLoad(0, Enumerable.Range(0, 4 * 65536).Select(i => (byte)(i / 65536 + 1)).ToArray());
        var input = b.WriteTo(_dir.File("be.elf"));
        Builders.Convert.To(input, _dir.File("be.kdump"), "kdump", PageCompression.Zlib);
        using var k = (KdumpDumpSource)DumpProbe.Open(_dir.File("be.kdump"));
        Assert.Equal(ByteOrder.Big, k.Header.ByteOrder);
        Assert.Equal(65536, k.Header.PageSize);
        Assert.Equal("ppc64", k.Kdump.Machine);
        using var a = DumpProbe.Open(input);
        Builders.Convert.AssertSamePages(a, k);
    }

    /// <summary>
    /// ppc64 (big-endian) and ppc64le dumps with 64 KiB and 4 KiB pages through every format and
    /// codec and back: ELF → kdump (codec) → flattened → raw → ELF keeps every page, the notes,
    /// and the dumped kernel's byte order.
    /// </summary>
    [Theory]
    [InlineData(ByteOrder.Big, 65536, PageCompression.Zlib)]
    [InlineData(ByteOrder.Big, 65536, PageCompression.Lzo)]
    [InlineData(ByteOrder.Big, 4096, PageCompression.Snappy)]
    [InlineData(ByteOrder.Big, 4096, PageCompression.Zstd)]
    [InlineData(ByteOrder.Little, 65536, PageCompression.Zstd)]
    [InlineData(ByteOrder.Little, 4096, PageCompression.Lzo)]
    public void Ppc64_ChainThroughEveryFormat_KeepsPagesNotesAndByteOrder(ByteOrder order, int pageSize, PageCompression comp)
    {
        var data = new byte[6 * pageSize];
        new Random(pageSize).NextBytes(data.AsSpan(0, 2 * pageSize));
        for (int i = 3 * pageSize; i < 5 * pageSize; i++) data[i] = (byte)(i % 251);
        var input = new ElfCoreBuilder { Order = order, Machine = 21, Flags = order == ByteOrder.Little ? 2u : 1u }
            .PrStatus(1, 0xc000000000001234).PrStatus(2, 0xc000000000005678)
            .VmcoreInfo($"OSRELEASE=6.1.0-ppc\nPAGESIZE={pageSize}\n")
            .AddLoad(0, data).AddLoad(8UL * (ulong)pageSize, data.AsSpan(0, 2 * pageSize).ToArray())
            .WriteTo(_dir.File("ppc.elf"));
        string kdump = _dir.File("ppc.kdump"), flat = _dir.File("ppc.flat"), raw = _dir.File("ppc.raw"), back = _dir.File("back.elf");
        Builders.Convert.To(input, kdump, "kdump", comp);
        Builders.Convert.To(kdump, flat, "flat", comp);
        Builders.Convert.To(flat, raw, "raw");
        Builders.Convert.To(raw, back, "elf");
        using var a = DumpProbe.Open(input);
        foreach (var f in new[] { kdump, flat, raw, back })
        {
            using var b = DumpProbe.Open(f);
            Assert.Equal(order, b.Header.ByteOrder);
            Assert.Equal(pageSize, b.Header.PageSize);
            Assert.Equal(Machine.Ppc64, b.Header.Machine);
            Assert.Equal(2, b.Notes.PrStatus.Count());
            Assert.Equal("6.1.0-ppc", b.VmcoreInfo?.OsRelease);
            Builders.Convert.AssertSamePages(a, b);
        }
        using var k = (KdumpDumpSource)DumpProbe.Open(kdump);
        Assert.Equal(order == ByteOrder.Big ? "ppc64" : "ppc64le", k.Kdump.Machine);
    }
}
