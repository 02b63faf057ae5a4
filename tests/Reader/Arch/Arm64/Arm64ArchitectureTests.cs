using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Arm64;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Arm64;

/// <summary>aarch64: the PRSTATUS layout, the image mapping, the direct map's base, and what info prints.</summary>
public sealed class Arm64ArchitectureTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Identity_Aarch64LittleEndianWithoutCpuArea()
    {
        var a = Arm64Architecture.Instance;
        Assert.Equal((Machine.AArch64, "aarch64", 4096), (a.Machine, a.Name, a.DefaultPageSize));
        Assert.Null(a.KernelByteOrder(NoteSet.Parse([], ByteOrder.Little, 0, DumpLimits.Default)));
        Assert.Null(a.PrStatusNotesFromCpuArea(new byte[64], ByteOrder.Little));
    }

    [Fact]
    public void PrStatus_UserPtRegsIn392Bytes()
    {
        var l = Arm64Architecture.Instance.PrStatus;
        Assert.Equal(392, l.Size);
        Assert.Equal(34, l.RegisterNames.Count);
        Assert.Equal(("x0", "x30", "sp", "pc", "pstate"), (l.RegisterNames[0], l.RegisterNames[30], l.RegisterNames[31],
            l.RegisterNames[32], l.RegisterNames[33]));
        Assert.Equal("pc", l.ProgramCounter);
    }

    [Fact]
    public void PrStatus_SyntheticNote_Decodes()
    {
        var desc = new byte[Arm64Architecture.PrStatusSize];
        Endian.W32(desc.AsSpan(PrStatus.PidOffset), 1234, ByteOrder.Little);
        for (int i = 0; i < 34; i++) Endian.W64(desc.AsSpan(PrStatus.RegistersOffset + 8 * i), 0x1000UL + (ulong)i, ByteOrder.Little);
        var b = new ElfCoreBuilder { Machine = 183 }.Note("CORE", 1, desc);
        var set = NoteSet.Parse(b.NoteBlob(), ByteOrder.Little, 0, DumpLimits.Default);
        var pr = PrStatus.Decode(set.Desc(set.PrStatus.Single()), Machine.AArch64, ByteOrder.Little, true);
        Assert.Equal(1234, pr.Pid);
        Assert.Equal(34, pr.Registers.Count);
        Assert.Equal(("x29", 0x101dUL), pr.Registers[29]);
        Assert.Equal(("sp", 0x101fUL), pr.Registers[31]);
        Assert.Equal(("pstate", 0x1021UL), pr.Registers[33]);
        Assert.Equal("pc=0x0000000000001020", pr.InstructionPointer);
    }

    [Fact]
    public void IsKernelImageMapping_OnlyWithAVmcoreInfoToPlaceIt()
    {
        var b = Arm64AddressSpaceTests.Kernel(out _, out _);
        var vi = new VmcoreInfo(Arm64AddressSpaceTests.VmcoreInfo(b));
        var a = Arm64Architecture.Instance;
        ulong text = Arm64AddressSpaceTests.PhysOffset + Arm64AddressSpaceTests.Voffset;
        Assert.True(a.IsKernelImageMapping(text, vi));
        Assert.False(a.IsKernelImageMapping(Arm64AddressSpaceTests.PageOffset + 0x1000, vi));
        Assert.False(a.IsKernelImageMapping(0x40000000, vi));
        Assert.False(a.IsKernelImageMapping(text, null));
        Assert.False(a.IsKernelImageMapping(text, new VmcoreInfo("NUMBER(VA_BITS)=99\n")));
    }

    [Fact]
    public void SparseMemDefaults_OneGibSectionsAnd48Bits_PhysOffsetIsPhysBase()
    {
        Assert.Equal((30, 48), Arm64Architecture.Instance.SparseMemDefaults(new VmcoreInfo("")));
        Assert.Equal(0x40000000UL, new VmcoreInfo("NUMBER(PHYS_OFFSET)=0x40000000\n").PhysBase);
    }

    [Fact]
    public void DirectMapBase_IsPageOffsetLessPhysOffset()
    {
        var b = Arm64AddressSpaceTests.Kernel(out _, out _);
        using var d = DumpProbe.Open(b.Vmcore(Arm64AddressSpaceTests.VmcoreInfo(b)).WriteTo(_dir.File("k.elf")));
        ulong baseVa = Arm64Architecture.Instance.DirectMapBase(d);
        Assert.Equal(Arm64AddressSpaceTests.PageOffset, baseVa + Arm64AddressSpaceTests.PhysOffset);
    }

    [Fact]
    public void AddressSpace_BadVaBits_NullWithTheKeyNamed()
    {
        var b = Arm64AddressSpaceTests.Kernel(out _, out _);
        using var d = DumpProbe.Open(b.Vmcore(Arm64AddressSpaceTests.VmcoreInfo(b, vaBits: 30)).WriteTo(_dir.File("k.elf")));
        Assert.Null(Arm64Architecture.Instance.TryCreateAddressSpace(d, out var why));
        Assert.Contains("NUMBER(VA_BITS)", why);
        Assert.Equal(0UL, Arm64Architecture.Instance.DirectMapBase(d));
    }

    /// <summary>
    /// SyntheticKernel's memory read as a kernel before 5.4, whose linear map (the upper half,
    /// from 0xffff800000000000) holds x86_64's direct-map addresses when PHYS_OFFSET is
    /// -0x88000000000: struct pages, mem_section and the printk ring all translate by PHYS_OFFSET.
    /// </summary>
    private static ElfCoreBuilder LinearMapKernel()
    {
        var mem = SyntheticKernel.Memory();
        var b = new ElfCoreBuilder { Machine = 183 }.PrStatus(1234).VmcoreInfo(SyntheticKernel.VmcoreInfo() +
            "NUMBER(VA_BITS)=48\nNUMBER(kimage_voffset)=0xffff000008000000\nNUMBER(PHYS_OFFSET)=0xfffff78000000000\n" +
            "SYMBOL(swapper_pg_dir)=ffff000008001000\nSYMBOL(_stext)=ffff000008000000\n");
        b.AddLoad(0, mem.AsSpan(0, 32 * SyntheticKernel.Page).ToArray());
        b.AddLoad(48 * SyntheticKernel.Page, mem.AsSpan(48 * SyntheticKernel.Page).ToArray());
        return b;
    }

    /// <summary>
    /// The arm64 seeds of the dump and filter fuzz targets (fuzz/run.sh copies them): this linear-map
    /// kernel, and the 4-level tables with vmemmap of Arm64AddressSpaceTests. HVDUMP_REGENERATE=1 rewrites them.
    /// </summary>
    [Fact]
    public void FuzzSeeds_AreWhatTheBuildersMake_AndFilter()
    {
        var linear = Repo.TestData("elf", "synth-aarch64.vmcore");
        Golden.Bytes(linear, LinearMapKernel().Build());
        var tables = Arm64AddressSpaceTests.Kernel(out _, out _);
        var withTables = Repo.TestData("elf", "synth-aarch64-tables.vmcore");
        Golden.Bytes(withTables, tables.Vmcore(Arm64AddressSpaceTests.VmcoreInfo(tables)).PrStatus(1, 0xffff800008123456UL).Build());
        using (var f = new FilteredDumpSource(DumpProbe.Open(linear), 31)) Assert.Null(f.NotClassifying);
        using var d = DumpProbe.Open(withTables);
        Assert.IsType<Arm64AddressSpace>(Arm64AddressSpace.Create(d, out var why));
        Assert.Null(why);
    }

    [Fact]
    public void Filter_SyntheticKernelInTheLinearMap_ExcludesWhatX86_64Does()
    {
        var path = LinearMapKernel().WriteTo(_dir.File("linear.elf"));
        using var inner = DumpProbe.Open(path);
        using var f = new FilteredDumpSource(DumpProbe.Open(path), 31);
        Assert.Null(f.NotClassifying);
        var kept = f.PresentRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count)).ToHashSet();
        var dropped = inner.PresentRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count)).Where(p => !kept.Contains(p));
        Assert.Equal([12, 13, 14, 16, 17, 18, 19], dropped);
        Assert.Equal(3, KernelLog.Read(inner).Records.Count);
    }

    [Fact]
    public void Info_ShowsArchPageSizeVaBitsAndEachCpusPc()
    {
        var b = Arm64AddressSpaceTests.Kernel(out _, out _);
        var path = b.Vmcore(Arm64AddressSpaceTests.VmcoreInfo(b)).PrStatus(1, 0xffff800008123456UL).PrStatus(2, 0xffff800008abcdefUL)
            .WriteTo(_dir.File("k.elf"));
        var r = CliRunner.Run("info", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("arch:         aarch64 (e_machine 183)", r.Stdout);
        Assert.Contains("page size:    4096", r.Stdout);
        Assert.Contains("  NUMBER(VA_BITS)        48", r.Stdout);
        Assert.Contains("CPUs:         2 (NT_PRSTATUS)", r.Stdout);
        Assert.Contains("  cpu0: pid 1 pc=0xffff800008123456", r.Stdout);
        Assert.Contains("  cpu1: pid 2 pc=0xffff800008abcdef", r.Stdout);
    }
}
