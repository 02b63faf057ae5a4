using HvDumpKit.Reader.Notes;
using Xunit;

namespace HvDumpKit.Tests.Reader.Notes;

/// <summary>Note kinds by (name, type), as readelf names them.</summary>
public sealed class ElfNoteTests
{
    [Theory]
    [InlineData("CORE", 1u, "NT_PRSTATUS")]
    [InlineData("CORE", 2u, "NT_PRFPREG")]
    [InlineData("CORE", 3u, "NT_PRPSINFO")]
    [InlineData("CORE", 4u, "NT_TASKSTRUCT")]
    [InlineData("SNAP", 4u, "NT_TASKSTRUCT")]
    [InlineData("VMCOREINFO", 0u, "VMCOREINFO")]
    [InlineData("QEMU", 0u, "QEMU_CPU_STATE")]
    [InlineData("LINUX", 0x700u, "NT_VMCOREDD")]
    [InlineData("ERASEINFO", 0u, "ERASEINFO")]
    [InlineData("LINUX", 0x202u, "type 0x202")]
    [InlineData("VMCOREINFO", 1u, "type 0x1")]
    public void TypeName_ByNameAndType(string name, uint type, string expected) =>
        Assert.Equal(expected, new ElfNote(name, type, 0, 0, 0).TypeName);

    [Theory]
    [InlineData("CORE", 1u, true, false)]
    [InlineData("CORE", 0u, false, false)]
    [InlineData("LINUX", 1u, false, false)]
    [InlineData("VMCOREINFO", 0u, false, true)]
    [InlineData("VMCOREINFO", 1u, false, false)]
    public void IsPrStatusAndIsVmcoreInfo_NeedNameAndType(string name, uint type, bool prstatus, bool vmcoreinfo)
    {
        var n = new ElfNote(name, type, 0, 0, 0);
        Assert.Equal(prstatus, n.IsPrStatus);
        Assert.Equal(vmcoreinfo, n.IsVmcoreInfo);
    }
}
