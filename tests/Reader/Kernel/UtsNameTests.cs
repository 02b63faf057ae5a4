using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>init_uts_ns.name of the synthetic kernel (at 0x4000 + 4, six 65-byte fields).</summary>
public sealed class UtsNameTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private IDumpSource Dump(byte[] mem, string vmci) => DumpProbe.Open(new ElfCoreBuilder().PrStatus(1).VmcoreInfo(vmci)
        .AddLoad(0, mem.AsSpan(0, 32 * 4096).ToArray(), vaddr: SyntheticKernel.Kv(0))
        .WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));

    [Fact]
    public void TryRead_SyntheticKernel_AllSixFields()
    {
        using var d = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo());
        Assert.Equal(new UtsName("Linux", "testhost", "6.1.0-test", "#1 SMP PREEMPT_DYNAMIC", "x86_64", "(none)"), UtsName.TryRead(d));
    }

    [Fact]
    public void TryRead_NoNameOffset_AssumesTheKrefOf4()
    {
        using var d = Dump(SyntheticKernel.Memory(), SyntheticKernel.VmcoreInfo().Replace("OFFSET(uts_namespace.name)=4\n", ""));
        Assert.Equal("testhost", UtsName.TryRead(d)?.Nodename);
    }

    [Fact]
    public void TryRead_OffsetFromVmcoreInfo()
    {
        // The name moved 8 bytes on: with OFFSET 12 the fields read from there.
        var mem = SyntheticKernel.Memory();
        mem.AsSpan(0x4000, 8 + 65 * 6 + 8).Clear();
        Encoding.ASCII.GetBytes("Linux").CopyTo(mem, 0x4000 + 12);
        Encoding.ASCII.GetBytes("other").CopyTo(mem, 0x4000 + 12 + 65);
        using var d = Dump(mem, SyntheticKernel.VmcoreInfo().Replace("OFFSET(uts_namespace.name)=4\n", "OFFSET(uts_namespace.name)=12\n"));
        var u = UtsName.TryRead(d);
        Assert.NotNull(u);
        Assert.Equal("other", u.Nodename);
        Assert.Equal("", u.Release);
    }

    [Fact]
    public void TryRead_SysnameNotLinux_IsNull()
    {
        var mem = SyntheticKernel.Memory();
        mem[0x4004] = (byte)'l';
        using var d = Dump(mem, SyntheticKernel.VmcoreInfo());
        Assert.Null(UtsName.TryRead(d));
    }

    [Fact]
    public void TryRead_NoSymbol_IsNull()
    {
        var vmci = SyntheticKernel.VmcoreInfo().Replace($"SYMBOL(init_uts_ns)={SyntheticKernel.Kv(0x4000):x}\n", "");
        using var d = Dump(SyntheticKernel.Memory(), vmci);
        Assert.Null(UtsName.TryRead(d));
    }
}
