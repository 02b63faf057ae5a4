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

    [Fact]
    public void NoteSet_Parse_ToleratesZeroPaddingAndRejectsOverrun()
    {
        var blob = new byte[64];
        Endian.W32(blob, 5, ByteOrder.Little); Endian.W32(blob.AsSpan(4), 4, ByteOrder.Little); Endian.W32(blob.AsSpan(8), 1, ByteOrder.Little);
        "CORE"u8.CopyTo(blob.AsSpan(12));
        var set = NoteSet.Parse(blob, ByteOrder.Little, 0, DumpLimits.Default);
        Assert.Single(set.Notes);
        Endian.W32(blob.AsSpan(4), 1000, ByteOrder.Little);
        var ex = Assert.Throws<DumpFormatException>(() => NoteSet.Parse(blob, ByteOrder.Little, 0x100, DumpLimits.Default));
        Assert.Equal("n_descsz", ex.FieldName);
        Assert.Equal(0x104, ex.Offset);
    }

    [Fact]
    public void PrStatus_DecodesX86AndPpc64Layouts()
    {
        var x = new byte[336];
        Endian.W32(x.AsSpan(32), 77, ByteOrder.Little);
        Endian.W64(x.AsSpan(112 + 16 * 8), 0xffffffff81000000UL, ByteOrder.Little);
        var p = PrStatus.Decode(x, Machine.X86_64, ByteOrder.Little, true);
        Assert.Equal(77, p.Pid);
        Assert.Equal(27, p.Registers.Count);
        Assert.Equal(("rip", 0xffffffff81000000UL), p.Registers[16]);
        var y = new byte[504];
        Endian.W64(y.AsSpan(112 + 32 * 8), 0xc000000000001234UL, ByteOrder.Big);
        var q = PrStatus.Decode(y, Machine.Ppc64, ByteOrder.Big, true);
        Assert.Equal(("nip", 0xc000000000001234UL), q.Registers[32]);
    }
}
