using HvDumpKit.Reader;
using HvDumpKit.Reader.Notes;
using Xunit;

namespace HvDumpKit.Tests.Reader.Notes;

public sealed class VmcoreInfoTests
{
    private const string Text = "OSRELEASE=6.1.0-57-cloud-amd64\nPAGESIZE=4096\nSYMBOL(init_uts_ns)=ffffffffb91f9b60\n" +
        "NUMBER(phys_base)=-515899392\nNUMBER(VMALLOC_START)=0xffffc90000000000\nKERNELOFFSET=36600000\nCRASHTIME=1700000000\n" +
        "OFFSET(uts_namespace.name)=4\nSIZE(page)=64\nLENGTH(zone.free_area)=11";

    [Fact]
    public void Parse_TypedAccessors_FollowKernelMacros()
    {
        var v = new VmcoreInfo(Text);
        Assert.Equal("6.1.0-57-cloud-amd64", v.OsRelease);
        Assert.Equal(4096, v.PageSize);
        Assert.Equal(0xffffffffb91f9b60UL, v.Symbol("init_uts_ns"));
        Assert.Equal(unchecked((ulong)-515899392L), v.PhysBase);
        Assert.Equal(0xffffffffe1400000UL, v.PhysBase);
        Assert.Equal(unchecked((long)0xffffc90000000000UL), v.Number("VMALLOC_START"));
        Assert.Equal(0x36600000UL, v.KernelOffset);
        Assert.Equal(1700000000L, v.CrashTime);
        Assert.Equal(4L, v.Offset("uts_namespace.name"));
        Assert.Equal(64L, v.Size("page"));
        Assert.Equal(11L, v.Length("zone.free_area")); // no trailing newline: tolerated
        Assert.Null(v.Symbol("missing"));
    }

    [Fact]
    public void FromBytes_StopsAtNul()
    {
        var v = VmcoreInfo.FromBytes("PAGESIZE=65536\n\0garbage=1"u8);
        Assert.Equal(65536, v.PageSize);
        Assert.Null(v["garbage"]);
    }
}
