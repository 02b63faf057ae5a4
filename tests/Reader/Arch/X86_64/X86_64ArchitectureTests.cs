using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.X86_64;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.X86_64;

/// <summary>x86_64: the kernel image's own mapping, and the address space from init_top_pgt.</summary>
public sealed class X86_64ArchitectureTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0xffffffff80000000UL, true)]
    [InlineData(0xffffffff81000000UL, true)]
    [InlineData(0xffffffff7fffffffUL, false)]
    [InlineData(0xffff888000000000UL, false)]
    public void IsKernelImageMapping_FromStartKernelMapUp(ulong va, bool image) =>
        Assert.Equal(image, X86_64Architecture.Instance.IsKernelImageMapping(va, null));

    [Fact]
    public void AddressSpace_SyntheticKernel_DirectMapWalkedAndImageByPhysBase()
    {
        using var d = DumpProbe.Open(SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf")));
        var space = X86_64Architecture.Instance.TryCreateAddressSpace(d, out var why);
        Assert.Null(why);
        Assert.NotNull(space);
        Assert.Equal(0x5000UL, space.Translate(SyntheticKernel.Kv(0x5000)));
        Assert.Equal(0x1000UL, space.Translate(SyntheticKernel.KernelMap + 0x1000));
        Assert.Equal(SyntheticKernel.PageOffset, X86_64Architecture.Instance.DirectMapBase(d));
    }

    [Fact]
    public void AddressSpace_WithoutVmcoreInfo_SaysSo()
    {
        using var d = DumpProbe.Open(new ElfCoreBuilder().AddLoad(0, new byte[4096]).WriteTo(_dir.File("bare.elf")));
        Assert.Null(X86_64Architecture.Instance.TryCreateAddressSpace(d, out var why));
        Assert.Equal("the dump has no VMCOREINFO", why);
        Assert.Equal(0UL, X86_64Architecture.Instance.DirectMapBase(d));
    }

    [Fact]
    public void AddressSpace_AnotherMachine_IsNull()
    {
        var b = SyntheticKernel.Vmcore();
        b.Machine = 183;
        using var d = DumpProbe.Open(b.WriteTo(_dir.File("a.elf")));
        Assert.Null(X86_64AddressSpace.TryCreate(d));
    }
}
