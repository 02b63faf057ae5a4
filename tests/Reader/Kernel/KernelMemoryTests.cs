using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>Typed kernel-virtual reads of the synthetic kernel, through its page tables.</summary>
public sealed class KernelMemoryTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TypedReads_InTheDumpsByteOrder()
    {
        var mem = SyntheticKernel.Memory();
        Endian.W64(mem.AsSpan(0x9000), 0x1122334455667788UL, ByteOrder.Little);
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(SyntheticKernel.VmcoreInfo())
            .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(0));
        using var d = DumpProbe.Open(b.WriteTo(_dir.File("s.elf")));
        var m = KernelMemory.TryCreate(d, out var why);
        Assert.Null(why);
        Assert.NotNull(m);
        Assert.Equal(ByteOrder.Little, m.ByteOrder);
        Assert.True(m.Is64Bit);
        ulong va = SyntheticKernel.Kv(0x9000);
        Assert.Equal(0x1122334455667788UL, m.U64(va));
        Assert.Equal(0x55667788U, m.U32(va));
        Assert.Equal((ushort)0x3344, m.U16(va + 4));
        Assert.Equal(0x11223344U, m.U32(SyntheticKernel.KernelMap + 0x9004)); // the image mapping, same bytes
        ulong hole = SyntheticKernel.Kv(40 * 4096);
        Assert.Null(m.U64(hole));
        Assert.Null(m.U32(hole));
        Assert.Null(m.U16(hole));
        Assert.False(m.TryRead(hole, new byte[1]));
    }

    [Fact]
    public void TryCreate_NoVmcoreInfo_SaysSo()
    {
        using var d = DumpProbe.Open(new ElfCoreBuilder().AddLoad(0, new byte[4096]).WriteTo(_dir.File("bare.elf")));
        Assert.Null(KernelMemory.TryCreate(d, out var why));
        Assert.Equal("the dump has no VMCOREINFO", why);
    }

    [Fact]
    public void TryCreate_MachineNotListed_SaysSo()
    {
        var b = SyntheticKernel.Vmcore();
        b.Machine = 22;
        using var d = DumpProbe.Open(b.WriteTo(_dir.File("s390.elf")));
        Assert.Null(KernelMemory.TryCreate(d, out var why));
        Assert.Equal(KernelAddressSpace.NotSupported(d), why);
        Assert.Contains("S390", why);
    }
}
