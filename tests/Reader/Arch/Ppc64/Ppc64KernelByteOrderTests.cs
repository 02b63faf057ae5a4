using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.Reader.Notes;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Ppc64;

/// <summary>The ppc64 kernel's byte order from the saved MSR of its NT_PRSTATUS notes (MSR_LE).</summary>
public sealed class Ppc64KernelByteOrderTests
{
    [Fact]
    public void KernelOrder_ZeroedNotesOfOfflineCpusSayNothing()
    {
        var order = ByteOrder.Big;
        var withReal = new ElfCoreBuilder { Machine = 21, Order = order }
            .Note("CORE", 1, new byte[Ppc64Architecture.PrStatusSize]) // a CPU that saved nothing
            .Note("CORE", 1, NoteByteOrderTests.PrStatus(order, 2, 0xc000000000001000UL, NoteByteOrderTests.MsrLe64));
        Assert.Equal(ByteOrder.Little, Ppc64KernelByteOrder.FromNotes(NoteSet.Parse(withReal.NoteBlob(), order, 0, DumpLimits.Default)));
        var onlyZero = new ElfCoreBuilder { Machine = 21, Order = order }.Note("CORE", 1, new byte[Ppc64Architecture.PrStatusSize]);
        Assert.Null(Ppc64KernelByteOrder.FromNotes(NoteSet.Parse(onlyZero.NoteBlob(), order, 0, DumpLimits.Default)));
    }

    [Fact]
    public void KernelOrder_UnknownWithoutPrStatus()
    {
        var set = NoteSet.Parse(new ElfCoreBuilder { Order = ByteOrder.Big }.VmcoreInfo("PAGESIZE=65536\n").NoteBlob(), ByteOrder.Big, 0, DumpLimits.Default);
        Assert.Null(Ppc64KernelByteOrder.FromNotes(set));
    }
}
