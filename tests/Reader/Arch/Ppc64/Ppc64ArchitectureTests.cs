using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Ppc64;

/// <summary>ppc64: its pt_regs layout, the linear map as the data space, and the firmware register save area as notes.</summary>
public sealed class Ppc64ArchitectureTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static Ppc64Architecture Arch => Ppc64Architecture.Instance;

    [Fact]
    public void Identity_MachineNameAnd64KiBPages()
    {
        Assert.Equal((Machine.Ppc64, "ppc64", 65536), (Arch.Machine, Arch.Name, Arch.DefaultPageSize));
        Assert.Equal(Ppc64AddressSpace.KernelBase, Arch.DirectMapBase(null!));
    }

    [Fact]
    public void PrStatus_Gpr0To31ThenTheSpecialRegisters_NipIsTheProgramCounter()
    {
        var layout = Arch.PrStatus;
        Assert.Equal(44, layout.RegisterNames.Count);
        Assert.Equal(("gpr0", "gpr31", "nip", "msr", "result"),
            (layout.RegisterNames[0], layout.RegisterNames[31], layout.RegisterNames[32], layout.RegisterNames[33],
             layout.RegisterNames[43]));
        Assert.Equal("nip", layout.ProgramCounter);
        Assert.Equal(504, layout.Size);
        Assert.Equal(Ppc64Architecture.PrStatusSize, layout.Size);
    }

    [Theory]
    [InlineData(0xc000000000000000UL)]
    [InlineData(0xc000000001000000UL)]
    [InlineData(0xffffffff80000000UL)]
    public void IsKernelImageMapping_NeverSinceTheImageIsInTheLinearMap(ulong va) => Assert.False(Arch.IsKernelImageMapping(va, null));

    private IDumpSource Dump(string? vmcoreInfo)
    {
        var mem = new byte[0x20000];
        "ppc!"u8.CopyTo(mem.AsSpan(0x1234));
        var b = new ElfCoreBuilder { Machine = 21, PageSize = 65536 }.AddLoad(0, mem);
        if (vmcoreInfo is not null) b.VmcoreInfo(vmcoreInfo);
        return DumpProbe.Open(b.WriteTo(_dir.File($"ppc-{vmcoreInfo is null}.elf")));
    }

    [Fact]
    public void DataSpace_WithoutVmemmapKeys_TheLinearMapStillReads()
    {
        using var d = Dump("OSRELEASE=6.1.0\nPAGESIZE=65536\n");
        Assert.Null(Arch.TryCreateAddressSpace(d, out var why));
        Assert.Equal("VMCOREINFO lacks SYMBOL(vmemmap_list) or the vmemmap_backing/mmu_psize_def keys (a kernel without SPARSEMEM_VMEMMAP)",
            why);
        var data = Arch.TryCreateDataSpace(d, out var dataWhy);
        Assert.Null(dataWhy);
        Assert.NotNull(data);
        Assert.Equal(0x1234UL, data.Translate(Ppc64AddressSpace.KernelBase + 0x1234));
        var b = new byte[4];
        Assert.True(data.TryReadVirtual(Ppc64AddressSpace.KernelBase + 0x1234, b));
        Assert.Equal("ppc!"u8.ToArray(), b);
    }

    [Fact]
    public void DataSpace_WithoutVmcoreInfo_LinearOnly()
    {
        using var d = Dump(null);
        Assert.Null(Arch.TryCreateAddressSpace(d, out var why));
        Assert.Equal("the dump has no VMCOREINFO", why);
        var data = Arch.TryCreateDataSpace(d, out var dataWhy);
        Assert.Null(dataWhy);
        Assert.Equal(0x1234UL, data!.Translate(Ppc64AddressSpace.KernelBase + 0x1234));
    }

    [Theory]
    [InlineData(ByteOrder.Big)]
    [InlineData(ByteOrder.Little)]
    public void PrStatusNotesFromCpuArea_OneNotePerCpuInTheGivenOrder_PidZeroRegistersInPtRegsSlots(ByteOrder order)
    {
        var area = RegisterSaveAreaTests.Build((0, 0xc000000000001111, 0x8000000000000033), (5, 0xc000000000002222, 0x8000000000000032));
        var notes = Arch.PrStatusNotesFromCpuArea(area, order);
        Assert.NotNull(notes);
        Assert.Equal(2, notes.Count);
        var set = NoteSet.Parse([.. notes.SelectMany(n => n)], order, 0, DumpLimits.Default);
        var cpus = set.PrStatus.Select(n => PrStatus.Decode(set.Desc(n), Machine.Ppc64, order, true)).ToArray();
        Assert.Equal([0, 0], cpus.Select(c => c.Pid));
        Assert.Equal(["nip=0xc000000000001111", "nip=0xc000000000002222"], cpus.Select(c => c.InstructionPointer));
        Assert.Equal(0x8000000000000032UL, cpus[1].Registers.Single(r => r.Name == "msr").Value);
        Assert.Equal(0x5007UL, cpus[1].Registers.Single(r => r.Name == "gpr7").Value);
        Assert.Equal(Ppc64Architecture.PrStatusSize, set.PrStatus.First().DescSize);
    }

    [Fact]
    public void PrStatusNotesFromCpuArea_NoMagic_IsNull()
    {
        var area = RegisterSaveAreaTests.Build((0, 1, 2));
        area[0] ^= 0xFF;
        Assert.Null(Arch.PrStatusNotesFromCpuArea(area, ByteOrder.Big));
        Assert.Null(Arch.PrStatusNotesFromCpuArea([], ByteOrder.Big));
    }

    [Theory]
    [InlineData(0x8000000000000033UL, ByteOrder.Little)]
    [InlineData(0x8000000000000032UL, ByteOrder.Big)]
    public void KernelByteOrder_FromTheSavedMsr(ulong msr, ByteOrder expected)
    {
        var area = RegisterSaveAreaTests.Build((0, 0xc000000000000100, msr));
        var set = NoteSet.Parse([.. Arch.PrStatusNotesFromCpuArea(area, ByteOrder.Big)!.SelectMany(n => n)], ByteOrder.Big, 0,
            DumpLimits.Default);
        Assert.Equal(expected, Arch.KernelByteOrder(set));
    }
}
