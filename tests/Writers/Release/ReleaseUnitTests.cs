using HvDumpKit.Reader.Regions;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Writers.Release;

/// <summary>One write to the release file: its end, whether it holds dump data, and a slice with the PFNs it holds.</summary>
public sealed class ReleaseUnitTests
{
    [Fact]
    public void Slice_OfTheBootMemoryCopy_PfnsCountFromItsFirstPfnNotItsAddress()
    {
        // The copy at 0x100000 holds PFNs from 0.
        var unit = new ReleaseUnit(RegionKind.Dump, 0x100000, 0x10000, 0, 16);
        Assert.Equal(new ReleaseUnit(RegionKind.Dump, 0x104000, 0x3000, 4, 7), unit.Slice(0x104000, 0x107000, 0x1000));
        Assert.Equal(0x110000UL, unit.End);
    }

    [Fact]
    public void Slice_TheWholeUnit_IsTheUnit()
    {
        var unit = new ReleaseUnit(RegionKind.Reserved, 0x40000, 0x20000, 0x40, 0x60);
        Assert.Equal(unit, unit.Slice(0x40000, 0x60000, 0x1000));
    }

    [Theory]
    [InlineData(RegionKind.Dump, true)]
    [InlineData(RegionKind.Reserved, true)]
    [InlineData(RegionKind.Cpu, false)]
    [InlineData(RegionKind.Hpte, false)]
    public void HoldsDumpData_OnlyTheBootMemoryCopyAndReservedMemory(RegionKind kind, bool holds) =>
        Assert.Equal(holds, new ReleaseUnit(kind, 0, 0x1000, 0, 1).HoldsDumpData);
}
