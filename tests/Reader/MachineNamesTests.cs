using HvDumpKit.Reader;
using Xunit;

namespace HvDumpKit.Tests.Reader;

/// <summary>e_machine and `uname -m`: ppc64's name depends on the byte order, and every alias the kernel prints is understood.</summary>
public sealed class MachineNamesTests
{
    [Theory]
    [InlineData(Machine.Ppc64, ByteOrder.Little, "ppc64le")]
    [InlineData(Machine.Ppc64, ByteOrder.Big, "ppc64")]
    [InlineData(Machine.X86_64, ByteOrder.Little, "x86_64")]
    [InlineData(Machine.I386, ByteOrder.Little, "i686")]
    [InlineData(Machine.S390, ByteOrder.Big, "s390x")]
    [InlineData(Machine.AArch64, ByteOrder.Big, "aarch64")]
    [InlineData(Machine.Unknown, ByteOrder.Little, "unknown")]
    [InlineData((Machine)0xbeef, ByteOrder.Little, "unknown")]
    public void UtsMachine(Machine m, ByteOrder order, string name) => Assert.Equal(name, MachineNames.UtsMachine(m, order));

    [Theory]
    [InlineData("ppc64le", Machine.Ppc64)]
    [InlineData("ppc64", Machine.Ppc64)]
    [InlineData("i486", Machine.I386)]
    [InlineData("arm64", Machine.AArch64)]
    [InlineData("armv7l", Machine.Arm)]
    [InlineData("loongarch64", Machine.LoongArch)]
    [InlineData("sparc64", Machine.Unknown)]
    [InlineData("", Machine.Unknown)]
    public void FromUts(string name, Machine m) => Assert.Equal(m, MachineNames.FromUts(name));
}
