using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Arch.X86_64;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>The address space of a dump's machine: its architecture's, or null with why when the machine is not read.</summary>
public sealed class KernelAddressSpaceTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private IDumpSource Synthetic(ushort machine)
    {
        var b = SyntheticKernel.Vmcore();
        b.Machine = machine;
        return DumpProbe.Open(b.WriteTo(_dir.File($"m{machine}.elf")));
    }

    [Fact]
    public void TryCreate_X86_64_TheArchitecturesWalkOfInitTopPgt()
    {
        using var d = Synthetic(62);
        var space = KernelAddressSpace.TryCreate(d, out var why);
        Assert.Null(why);
        Assert.IsType<X86_64AddressSpace>(space);
        Assert.Equal(0x5000UL, space.Translate(SyntheticKernel.Kv(0x5000)));
        Assert.Equal(0x5000UL, KernelAddressSpace.TryCreate(d)!.Translate(SyntheticKernel.Kv(0x5000)));
    }

    [Fact]
    public void TryCreate_Ppc64WithoutVmemmapKeys_NullWithThePpc64Reason()
    {
        // The x86_64 VMCOREINFO has none of ppc64's vmemmap keys: the ppc64 code must be the one asked.
        using var d = Synthetic(21);
        Assert.Null(KernelAddressSpace.TryCreate(d, out var why));
        Assert.Equal("VMCOREINFO lacks SYMBOL(vmemmap_list) or the vmemmap_backing/mmu_psize_def keys (a kernel without SPARSEMEM_VMEMMAP)",
            why);
        Assert.Null(Ppc64AddressSpace.TryCreate(d, out var direct));
        Assert.Equal(direct, why);
    }

    [Theory]
    [InlineData(3, "kernel virtual addresses of I386 are not supported")]
    [InlineData(22, "kernel virtual addresses of S390 are not supported")]
    [InlineData(0xbeef, "kernel virtual addresses of 48879 are not supported")]
    public void TryCreate_AMachineNotInArchitectures_NullAndNotSupported(ushort machine, string expected)
    {
        using var d = Synthetic(machine);
        Assert.Null(KernelAddressSpace.TryCreate(d, out var why));
        Assert.Equal(expected, why);
        Assert.Equal(expected, KernelAddressSpace.NotSupported(d));
        Assert.Null(KernelAddressSpace.TryCreate(d));
    }
}
