using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Arm64;
using HvDumpKit.Reader.Notes;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Arm64;

/// <summary>
/// The linear map, image and walk root from VMCOREINFO, for the layouts before and since 5.4, and
/// the values no kernel has.
/// </summary>
public sealed class Arm64KernelLayoutTests
{
    private static string Info(int vaBits = 48, string swapper = "ffff800009c8f000", string release = "6.1.0-13-arm64",
        string? t1sz = null, string physOffset = "0x40000000", string voffset = "0xffff7fffc8000000", string? extra = null) =>
        $"OSRELEASE={release}\nNUMBER(VA_BITS)={vaBits}\nNUMBER(kimage_voffset)={voffset}\nNUMBER(PHYS_OFFSET)={physOffset}\n" +
        $"SYMBOL(swapper_pg_dir)={swapper}\nSYMBOL(_stext)={swapper[..^7]}8010000\n" +
        (t1sz is null ? "" : $"NUMBER(TCR_EL1_T1SZ)={t1sz}\n") + (extra ?? "");

    private static Arm64KernelLayout Read(string text, int pageSize = 4096)
    {
        var layout = Arm64KernelLayout.TryRead(new VmcoreInfo(text), pageSize, 0x40, out var why);
        Assert.Null(why);
        return Assert.IsType<Arm64KernelLayout>(layout);
    }

    [Fact]
    public void Since54_LinearMapIsTheLowerHalf()
    {
        var l = Read(Info());
        Assert.True(l.FlippedVa);
        Assert.Equal((0xffff000000000000UL, 0xffff800000000000UL), (l.PageOffset, l.PageEnd));
        Assert.Equal(0x40000000UL + 0x1234, l.LinearToPhys(0xffff000000001234UL));
        Assert.True(l.IsImage(0xffff800009c8f000UL));
        Assert.Equal(0x41c8f000UL, l.SwapperPgDirPhys);
        Assert.False(l.IsLinear(0xffff800000000000UL));
        Assert.True(l.IsLinear(0xffff7fffffffffffUL));
    }

    [Fact]
    public void Before54_LinearMapIsTheUpperHalf()
    {
        var l = Read(Info(swapper: "ffff000009a3a000", release: "4.19.0-27-arm64", voffset: "0xfffeffffc8000000"));
        Assert.False(l.FlippedVa);
        Assert.Equal((0xffff800000000000UL, 0UL), (l.PageOffset, l.PageEnd));
        Assert.True(l.IsLinear(ulong.MaxValue));
        Assert.False(l.IsLinear(0xffff000009a3a000UL));
        Assert.Equal(0x40000000UL, l.LinearToPhys(0xffff800000000000UL));
    }

    [Fact]
    public void VaBits39_Since54()
    {
        var l = Read(Info(vaBits: 39, swapper: "ffffffc009c8f000"));
        Assert.Equal((0xffffff8000000000UL, 0xffffffc000000000UL), (l.PageOffset, l.PageEnd));
    }

    [Theory]
    [InlineData("5.10.0-30-arm64", 0xffff000000000000UL)] // 5.4–5.10: PAGE_OFFSET from the VA size the hardware runs
    [InlineData("6.1.0-13-arm64", 0xfff0000000000000UL)]  // 5.11+: PAGE_OFFSET from VA_BITS, memstart_addr moved instead
    public void VaBits52_On48BitHardware(string release, ulong pageOffset)
    {
        var l = Read(Info(vaBits: 52, swapper: "ffff800009c90000", release: release, t1sz: "16"), 65536);
        Assert.Equal((48, pageOffset, 0xffff800000000000UL), (l.VaBitsActual, l.PageOffset, l.PageEnd));
    }

    [Fact]
    public void PhysOffset_MayBeNegative_AsMemstartAddrOfA52BitKernel()
    {
        var l = Read(Info(vaBits: 52, swapper: "ffff800009c90000", t1sz: "16", physOffset: "0xfff1000040000000"), 65536);
        Assert.Equal(0x40001000UL, l.LinearToPhys(0xfff0000000001000UL + 0x000f000000000000UL));
    }

    [Theory]
    [InlineData(35)]
    [InlineData(53)]
    [InlineData(64)]
    public void VaBits_OutOfRange_NamesTheKey(int vaBits)
    {
        var e = Assert.Throws<DumpFormatException>(() =>
            Arm64KernelLayout.TryRead(new VmcoreInfo(Info(vaBits: vaBits)), 4096, 0x40, out _));
        Assert.Equal(("NUMBER(VA_BITS)", vaBits.ToString(), 0x40L), (e.FieldName, e.Value, e.Offset));
    }

    [Theory]
    [InlineData(4096, 42)]
    [InlineData(65536, 39)]
    [InlineData(16384, 39)]
    public void VaBits_ThatTheGranuleDoesNotBuild_NamesTheKey(int pageSize, int vaBits)
    {
        var e = Assert.Throws<DumpFormatException>(() =>
            Arm64KernelLayout.TryRead(new VmcoreInfo(Info(vaBits: vaBits, swapper: "ffffffc009c00000")), pageSize, 0, out _));
        Assert.Equal("NUMBER(VA_BITS)", e.FieldName);
        Assert.Contains($"PAGESIZE {pageSize}", e.Problem);
    }

    [Fact]
    public void PageSize_NotAGranule_NamesPagesize()
    {
        var e = Assert.Throws<DumpFormatException>(() => Arm64KernelLayout.TryRead(new VmcoreInfo(Info()), 8192, 0, out _));
        Assert.Equal("PAGESIZE", e.FieldName);
    }

    [Fact]
    public void SwapperPgDir_NotAlignedToPagesize_IsAGranuleMismatch()
    {
        // 4 KiB-aligned tables in a dump that says 64 KiB pages.
        var e = Assert.Throws<DumpFormatException>(() => Arm64KernelLayout.TryRead(new VmcoreInfo(Info()), 65536, 0, out _));
        Assert.Equal("SYMBOL(swapper_pg_dir)", e.FieldName);
        Assert.Contains("granule", e.Problem);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("29")]
    [InlineData("12")] // 52 bits on a 48-bit kernel
    public void TcrT1sz_NoKernelVaSize_NamesTheKey(string t1sz)
    {
        var e = Assert.Throws<DumpFormatException>(() => Arm64KernelLayout.TryRead(new VmcoreInfo(Info(t1sz: t1sz)), 4096, 0, out _));
        Assert.Equal("NUMBER(TCR_EL1_T1SZ)", e.FieldName);
    }

    [Fact]
    public void SwapperPgDir_BelowTheKernelVaSpace_NamesTheKey()
    {
        var e = Assert.Throws<DumpFormatException>(() =>
            Arm64KernelLayout.TryRead(new VmcoreInfo(Info(vaBits: 39, swapper: "ffff800009c8f000")), 4096, 0, out _));
        Assert.Equal("SYMBOL(swapper_pg_dir)", e.FieldName);
    }

    [Theory]
    [InlineData("NUMBER(VA_BITS)")]
    [InlineData("NUMBER(kimage_voffset)")]
    [InlineData("NUMBER(PHYS_OFFSET)")]
    [InlineData("SYMBOL(swapper_pg_dir)")]
    public void MissingKey_IsNullWithTheKeyNamed(string key)
    {
        string text = string.Join("\n", Info().Split('\n').Where(l => !l.StartsWith(key + "=", StringComparison.Ordinal)));
        Assert.Null(Arm64KernelLayout.TryRead(new VmcoreInfo(text), 4096, 0, out var why));
        Assert.Equal($"VMCOREINFO lacks {key}", why);
    }
}
