using System.Diagnostics;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Elf;
using HvDumpKit.Reader.IO;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Elf;

public sealed class ElfDumpSourceTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private ElfDumpSource Open(byte[] bytes, string name = "core")
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return ElfDumpSource.Open(new PlainFileInput(path));
    }

    private static byte[] Pattern(int pages, byte seed)
    {
        var b = new byte[pages * 4096];
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(seed + i / 4096);
        return b;
    }

    [Theory]
    [InlineData(true, ByteOrder.Little, (ushort)62)]
    [InlineData(true, ByteOrder.Big, (ushort)21)]
    [InlineData(false, ByteOrder.Little, (ushort)3)]
    [InlineData(false, ByteOrder.Big, (ushort)20)]
    [InlineData(true, ByteOrder.Big, (ushort)22)]
    [InlineData(true, ByteOrder.Little, (ushort)183)]
    public void Open_AnyClassAndOrder_ReadsHeadersNotesAndPages(bool is64, ByteOrder order, ushort machine)
    {
        var b = new ElfCoreBuilder { Is64 = is64, Order = order, Machine = machine }
            .PrStatus(42).VmcoreInfo("OSRELEASE=6.1.0\nPAGESIZE=4096\n")
            .AddLoad(0, Pattern(4, 1)).AddLoad(8 * 4096, Pattern(2, 100));
        using var src = Open(b.Build());
        Assert.Equal(order, src.Header.ByteOrder);
        Assert.Equal(is64, src.Header.Is64Bit);
        Assert.Equal((Machine)machine, src.Header.Machine);
        Assert.Equal(4096, src.Header.PageSize);
        Assert.Equal("6.1.0", src.VmcoreInfo!.OsRelease);
        Assert.Single(src.Notes.PrStatus);
        Assert.Equal(10UL, src.MaxPfn);
        Assert.Equal([new PfnRange(0, 4), new PfnRange(8, 10)], src.PresentRanges().ToArray());
        var page = new byte[4096];
        Assert.Equal(PageStatus.Present, src.ReadPage(9, page));
        Assert.Equal(101, page[0]);
        Assert.Equal(PageStatus.NotInDump, src.ReadPage(5, page));
        Assert.All(page, x => Assert.Equal(0, x));
    }

    [Fact]
    public void ReadPage_FileSizeBelowMemSize_TailIsExcludedNotInvented()
    {
        var b = new ElfCoreBuilder().VmcoreInfo("PAGESIZE=4096\n").AddLoad(0, Pattern(2, 7), memSize: 4 * 4096);
        using var src = Open(b.Build());
        var page = new byte[4096];
        Assert.Equal(PageStatus.Present, src.ReadPage(1, page));
        Assert.Equal(PageStatus.Excluded, src.ReadPage(3, page));
        Assert.Equal([new PfnRange(0, 4)], src.RamRanges().ToArray());
        Assert.Equal([new PfnRange(0, 2)], src.PresentRanges().ToArray());
    }

    [Fact]
    public void Open_QemuLayout_HonoursPhoffAndIgnoresEhsize()
    {
        var b = new ElfCoreBuilder { QemuLayout = true }.PrStatus(1).PrStatus(2).VmcoreInfo("PAGESIZE=4096\n").AddLoad(0, Pattern(2, 3));
        using var src = Open(b.Build());
        Assert.Equal(192UL, src.ElfHeader.PhOff);
        Assert.Equal(2, src.Notes.PrStatus.Count());
        Assert.Contains(src.Warnings, w => w.Contains("offset 192"));
        Assert.Contains(src.Warnings, w => w.Contains("e_ehsize is 8"));
    }

    [Fact]
    public void Open_PnXnum_TakesCountFromSectionZero()
    {
        var b = new ElfCoreBuilder { ForcePnXnum = true }.VmcoreInfo("PAGESIZE=4096\n").AddLoad(0, Pattern(1, 3)).AddLoad(4096 * 4, Pattern(1, 4));
        using var src = Open(b.Build());
        Assert.True(src.ElfHeader.UsesPnXnum);
        Assert.Equal(3U, src.ElfHeader.PhNum);
        Assert.Equal(2, src.Loads.Count());
    }

    [Fact]
    public void Open_OverlappingLoads_WarnsAndReadsOnce()
    {
        // x86_64 kexec: a kernel-text PT_LOAD repeats direct-map bytes.
        var data = Pattern(4, 9);
        var b = new ElfCoreBuilder().VmcoreInfo("PAGESIZE=4096\n")
            .AddLoad(4096, data.AsSpan(4096, 8192).ToArray(), vaddr: 0xffffffff81000000UL)
            .AddLoad(0, data, vaddr: 0xffff888000000000UL);
        using var src = Open(b.Build());
        Assert.Contains(src.Warnings, w => w.Contains("overlaps"));
        Assert.Equal([new PfnRange(0, 4)], src.PresentRanges().ToArray());
        var page = new byte[4096];
        Assert.Equal(PageStatus.Present, src.ReadPage(2, page));
        Assert.Equal(11, page[0]);
    }

    [Fact]
    public void ReadPage_UnalignedLoad_PartialPageZeroFilled()
    {
        var b = new ElfCoreBuilder().VmcoreInfo("PAGESIZE=4096\n").AddLoad(0x1800, Enumerable.Repeat((byte)0xAB, 0x1000).ToArray());
        using var src = Open(b.Build());
        var page = new byte[4096];
        Assert.Equal(PageStatus.Present, src.ReadPage(1, page));
        Assert.Equal(0, page[0x7FF]);
        Assert.Equal(0xAB, page[0x800]);
        Assert.Equal(PageStatus.Present, src.ReadPage(2, page));
        Assert.Equal(0xAB, page[0x7FF]);
        Assert.Equal(0, page[0x800]);
    }

    [Fact]
    public void Open_TruncatedAtEveryHeaderBoundary_ThrowsFormatErrorWithField()
    {
        var bytes = SyntheticKernel.Vmcore().Build();
        // ELF header, program headers, notes: every cut inside them must fail cleanly.
        foreach (int cut in new[] { 0, 3, 10, 17, 40, 63, 64, 100, 120, 175, 200, 232, 400, 800, 2000 })
        {
            var ex = Assert.Throws<DumpFormatException>(() => { using var _ = Open(bytes.AsSpan(0, cut).ToArray(), $"cut{cut}"); });
            Assert.False(string.IsNullOrEmpty(ex.FieldName));
            Assert.Contains($"cut{cut}", ex.Message);
        }
    }

    /// <summary>
    /// Page data cut short (a copy that stopped, a full disk, a save still writing): the dump opens
    /// with a warning naming the PT_LOAD, and the pages past the end read as missing, as crash
    /// treats a truncated vmcore.
    /// </summary>
    [Fact]
    public void Open_DataTruncated_WarnsAndPagesPastTheEndAreMissing()
    {
        var bytes = SyntheticKernel.Vmcore().Build();
        using var d = Open(bytes.AsSpan(0, bytes.Length - 4096 - 100).ToArray());
        Assert.Contains(d.Warnings, w => w.Contains("truncated") && w.Contains("PT_LOAD[2]") && w.Contains("p_filesz"));
        var page = new byte[4096];
        ulong last = d.RamRanges().Last().End - 1;
        Assert.Equal(PageStatus.Lost, d.ReadPage(last, page));
        Assert.Equal(PageStatus.Lost, d.ReadPage(last - 1, page)); // partly in the file: still not whole
        Assert.Equal(PageStatus.Present, d.ReadPage(last - 2, page));
        // Present ranges stop at the end of the file; verify counts what is missing without walking it.
        Assert.Equal(last - 1, d.PresentRanges().Last().End);
        var r = HvDumpKit.Reader.Verify.DumpVerifier.Verify(d, 1);
        Assert.False(r.Ok);
        Assert.Equal(2UL, r.PagesMissing);
        Assert.Equal(last - 1, r.FirstMissingPfn);
    }

    /// <summary>A fuzzed p_filesz claiming 528 TiB past a 200 KiB file: counted as missing in no time, not walked.</summary>
    [Fact]
    public void Open_TruncatedByPetabytes_CountedNotWalked()
    {
        var bytes = SyntheticKernel.Vmcore().Build();
        // The second PT_LOAD's p_filesz and p_memsz (program header 2 of 3: after PT_NOTE and the first PT_LOAD).
        int ph = 64 + 2 * 56;
        BitConverter.GetBytes(0x2100000000000UL).CopyTo(bytes, ph + 32);
        BitConverter.GetBytes(0x2100000000000UL).CopyTo(bytes, ph + 40);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var d = Open(bytes);
        var r = HvDumpKit.Reader.Verify.DumpVerifier.Verify(d, 1);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"{sw.Elapsed}");
        Assert.True(r.PagesMissing > 1UL << 30);
    }

    [Fact]
    public void Open_Elf32WithZeroSectionCounts_ReturnsFast()
    {
        // The 552-byte ELF32 shape that makes ELFSharp loop for ~20 s when handed the file.
        var f = new byte[552];
        f[0] = 0x7F; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F'; f[4] = 1; f[5] = 1; f[6] = 1;
        Endian.W16(f.AsSpan(16), 4, ByteOrder.Little);
        Endian.W16(f.AsSpan(18), 3, ByteOrder.Little);
        Endian.W32(f.AsSpan(28), 52, ByteOrder.Little);
        Endian.W32(f.AsSpan(32), 0x100, ByteOrder.Little); // e_shoff with e_shnum = e_shentsize = 0
        Endian.W16(f.AsSpan(42), 32, ByteOrder.Little);
        Endian.W16(f.AsSpan(44), 2, ByteOrder.Little);
        Endian.W32(f.AsSpan(52), 4, ByteOrder.Little); Endian.W32(f.AsSpan(56), 200, ByteOrder.Little);
        Endian.W32(f.AsSpan(84), 1, ByteOrder.Little); Endian.W32(f.AsSpan(88), 300, ByteOrder.Little);
        Endian.W32(f.AsSpan(100), 200, ByteOrder.Little); Endian.W32(f.AsSpan(104), 200, ByteOrder.Little);
        var sw = Stopwatch.StartNew();
        try { using var src = Open(f); Assert.Equal(Machine.I386, src.Header.Machine); }
        catch (DumpFormatException) { }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"took {sw.Elapsed}");
    }

    [Theory]
    [InlineData(16, "e_type")]
    [InlineData(54, "e_phentsize")]
    [InlineData(56, "e_phnum")]
    [InlineData(38, "e_phoff")]
    public void Open_BogusHeaderField_NamesIt(int at, string field)
    {
        var bytes = SyntheticKernel.Vmcore().Build();
        bytes[at] = 0xEE; bytes[at + 1] = 0xEE;
        var ex = Assert.Throws<DumpFormatException>(() => { using var _ = Open(bytes); });
        Assert.Equal(field, ex.FieldName);
    }

    [Fact]
    public void Open_HugePhnumWithXnum_RejectedBeforeAllocating()
    {
        var b = new ElfCoreBuilder { ForcePnXnum = true }.VmcoreInfo("PAGESIZE=4096\n").AddLoad(0, Pattern(1, 1));
        var bytes = b.Build();
        Endian.W32(bytes.AsSpan(64 + 44), 0xFFFFFFF0, ByteOrder.Little);
        var ex = Assert.Throws<DumpFormatException>(() => { using var _ = Open(bytes); });
        Assert.Equal("e_phnum", ex.FieldName);
    }
}
