using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Arm64;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Arm64;

/// <summary>
/// A 4 KiB, 48-bit kernel since 5.4 over memory at 1 GiB (PHYS_OFFSET): swapper_pg_dir at
/// physical 0x40001000 reached by kimage_voffset, the linear map from 0xffff000000000000, and
/// vmemmap pages only the tables map.
/// </summary>
public sealed class Arm64AddressSpaceTests : IDisposable
{
    public const ulong PhysOffset = 0x40000000, Voffset = 0xffff7fffc8000000UL, PageOffset = 0xffff000000000000UL;
    public const ulong Vmemmap = 0xfffffc0000000000UL;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static string VmcoreInfo(Arm64TableBuilder b, int vaBits = 48, string extra = "") =>
        $"OSRELEASE=6.1.0-13-arm64\nPAGESIZE={b.PageSize}\nNUMBER(VA_BITS)={vaBits}\nNUMBER(kimage_voffset)=0x{Voffset:x}\n" +
        $"NUMBER(PHYS_OFFSET)=0x{PhysOffset:x}\nSYMBOL(swapper_pg_dir)={b.Root + Voffset:x}\nSYMBOL(_stext)={PhysOffset + Voffset:x}\n" +
        "KERNELOFFSET=1000000\n" + extra;

    /// <summary>The tables, two vmemmap pages on physical pages out of order, and recognisable bytes in each.</summary>
    public static Arm64TableBuilder Kernel(out ulong vmemmapPa0, out ulong vmemmapPa1)
    {
        var b = new Arm64TableBuilder(4096, 48, 32, PhysOffset);
        ulong p0 = b.NewPage(), p1 = b.NewPage();
        (vmemmapPa0, vmemmapPa1) = (p1, p0);
        b.Map(Vmemmap, vmemmapPa0).Map(Vmemmap + 0x1000, vmemmapPa1);
        // Data pages hold their own physical addresses; the table pages (1, 4–15) stay as built.
        foreach (ulong page in new[] { PhysOffset, p0, p1 }.Concat(Enumerable.Range(16, 16).Select(i => PhysOffset + (ulong)i * 0x1000)))
            for (ulong at = page; at < page + 0x1000; at += 8) b.Write(at, at);
        return b;
    }

    private Arm64AddressSpace Space(Arm64TableBuilder b, string? vmcoreInfo = null)
    {
        var d = DumpProbe.Open(b.Vmcore(vmcoreInfo ?? VmcoreInfo(b)).WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
        var s = Arm64AddressSpace.Create(d, out var why);
        Assert.Null(why);
        return Assert.IsType<Arm64AddressSpace>(s);
    }

    [Fact]
    public void Linear_ByPhysOffset_WithNoTablesRead()
    {
        var s = Space(Kernel(out _, out _));
        var read = new List<ulong>();
        Assert.Equal(PhysOffset + 0x5008, s.Translate(PageOffset + 0x5008, read));
        Assert.Empty(read);
    }

    [Fact]
    public void Image_ByKimageVoffset()
    {
        var s = Space(Kernel(out _, out _));
        Assert.Equal(PhysOffset + 0x1010, s.Translate(PhysOffset + Voffset + 0x1010));
        Assert.Equal(4, s.PageTableLevels);
    }

    [Fact]
    public void Vmemmap_WalkedFromSwapperPgDir()
    {
        var b = Kernel(out ulong pa0, out ulong pa1);
        var s = Space(b);
        var read = new List<ulong>();
        Assert.Equal(pa0 + 0x40, s.Translate(Vmemmap + 0x40, read));
        Assert.Equal(4, read.Count);
        Assert.Equal(b.Root, read[0] & ~0xfffUL);
        Assert.Equal(pa1, s.Translate(Vmemmap + 0x1000));
        Assert.Null(s.Translate(Vmemmap + 0x2000));
    }

    [Fact]
    public void Vmemmap_52BitKernelOn48BitHardware_FourLevelsAndNoLpa2Bits()
    {
        // A 4 KiB kernel built for 52 bits (and 52-bit PAs) on hardware without LPA2: the top level
        // is folded and bits 9:8 of each descriptor are shareability (0b11 here), not OA[51:50].
        var b = Kernel(out ulong pa0, out _);
        var s = Space(b, VmcoreInfo(b, vaBits: 52, extra: "NUMBER(TCR_EL1_T1SZ)=16\nNUMBER(MAX_PHYSMEM_BITS)=52\n"));
        Assert.Equal(4, s.PageTableLevels);
        Assert.Equal(pa0 + 8, s.Translate(Vmemmap + 8));
        Assert.Equal(0xfff0000000000000UL, s.Layout.PageOffset);
    }

    [Fact]
    public void TryReadVirtual_AcrossTwoVmemmapPagesOutOfPhysicalOrder()
    {
        var s = Space(Kernel(out ulong pa0, out ulong pa1));
        var buf = new byte[16];
        Assert.True(s.TryReadVirtual(Vmemmap + 0xff8, buf));
        Assert.Equal(pa0 + 0xff8, Endian.U64(buf, ByteOrder.Little));
        Assert.Equal(pa1, Endian.U64(buf.AsSpan(8), ByteOrder.Little));
        Assert.False(s.TryReadVirtual(Vmemmap + 0x1ff8, buf)); // runs into an unmapped page
    }

    [Fact]
    public void KernelMemory_ReadsImageAndLinearData()
    {
        var b = Kernel(out _, out _);
        using var d = DumpProbe.Open(b.Vmcore(VmcoreInfo(b)).WriteTo(_dir.File("k.elf")));
        var km = KernelMemory.TryCreate(d, out var why);
        Assert.Null(why);
        Assert.NotNull(km);
        Assert.Equal(PhysOffset + 0x10, km.U64(PhysOffset + Voffset + 0x10));
        Assert.Equal(PhysOffset + 0x14000, km.U64(PageOffset + 0x14000));
    }

    [Fact]
    public void Create_VaBitsNoKernelHas_ThrowsNamingIt()
    {
        var b = Kernel(out _, out _);
        using var d = DumpProbe.Open(b.Vmcore(VmcoreInfo(b, vaBits: 60)).WriteTo(_dir.File("bad.elf")));
        var e = Assert.Throws<DumpFormatException>(() => Arm64AddressSpace.Create(d, out _));
        Assert.Equal(("NUMBER(VA_BITS)", "60"), (e.FieldName, e.Value));
    }

    [Fact]
    public void Create_WithoutVmcoreInfo_SaysSo()
    {
        using var d = DumpProbe.Open(new Arm64TableBuilder(4096, 48).Vmcore().WriteTo(_dir.File("bare.elf")));
        Assert.Null(Arm64AddressSpace.Create(d, out var why));
        Assert.Equal("the dump has no VMCOREINFO", why);
    }

    [Fact]
    public void TablesLoopingBack_AFormatErrorWhenTranslating()
    {
        var b = Kernel(out _, out _);
        const ulong va = 0xffff900000000000UL;
        b.Write(b.Slot(va, 1), b.Root | 3);
        var s = Space(b);
        Assert.Throws<DumpFormatException>(() => s.Translate(va));
    }
}
