using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Notes;

/// <summary>
/// QEMU 7.2 writes a little-endian pseries guest's ELF header and notes big-endian: the saved MSR
/// (MSR_LE) tells the kernel's byte order, and the notes are re-encoded into it.
/// </summary>
public sealed class NoteByteOrderTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    internal const ulong MsrLe64 = 0x8000000000001033UL, MsrBe64 = 0x8000000000001032UL;

    internal static byte[] PrStatus(ByteOrder o, int pid, ulong nip, ulong msr)
    {
        var d = new byte[Ppc64Architecture.PrStatusSize];
        Endian.W32(d, 11, o);                                   // si_signo
        Endian.W16(d.AsSpan(12), 6, o);                         // pr_cursig
        Endian.W64(d.AsSpan(16), 0x0102030405060708UL, o);      // pr_sigpend
        Endian.W32(d.AsSpan(PrStatus_PidOffset), (uint)pid, o);
        Endian.W64(d.AsSpan(48), 1234, o);                      // pr_utime.tv_sec
        for (int i = 0; i < 32; i++) Endian.W64(d.AsSpan(112 + 8 * i), 0x1111111100000000UL + (ulong)i, o);
        Endian.W64(d.AsSpan(112 + 8 * 32), nip, o);
        Endian.W64(d.AsSpan(112 + 8 * 33), msr, o);
        Endian.W32(d.AsSpan(496), 1, o);                        // pr_fpvalid
        return d;
    }

    private const int PrStatus_PidOffset = 32;

    private static byte[] U64s(ByteOrder o, int n)
    {
        var d = new byte[8 * n];
        for (int i = 0; i < n; i++) Endian.W64(d.AsSpan(8 * i), 0xF000000000000000UL + (uint)i, o);
        return d;
    }

    private string QemuPseries(ByteOrder header, ulong msr)
    {
        var b = new ElfCoreBuilder { Machine = 21, Order = header, PageSize = 65536, QemuLayout = true }
            .Note("CORE", 1, PrStatus(header, 7, 0xc0000000000e1130UL, msr))
            .Note("CORE", 2, U64s(header, 33))          // NT_PRFPREG
            .Note("CORE", 0x100, new byte[544])         // NT_PPC_VMX: no field-by-field layout here
            .Note("CORE", 0x102, U64s(header, 32))      // NT_PPC_VSX
            .AddLoad(0, new byte[65536 * 2]);
        return b.WriteTo(_dir.File("pseries.elf"));
    }

    [Fact]
    public void BigEndianHeader_LittleEndianKernel_ReadAsLittleWithNotesReencoded()
    {
        using var d = DumpProbe.Open(QemuPseries(ByteOrder.Big, MsrLe64));
        Assert.Equal(ByteOrder.Little, d.Header.ByteOrder);
        Assert.Equal(ByteOrder.Little, d.Notes.ByteOrder);
        var pr = HvDumpKit.Reader.Notes.PrStatus.Decode(d.Notes.Desc(d.Notes.PrStatus.Single()), Machine.Ppc64, ByteOrder.Little, true);
        Assert.Equal(7, pr.Pid);
        Assert.Equal(0xc0000000000e1130UL, pr.Registers.Single(r => r.Name == "nip").Value);
        Assert.Equal(MsrLe64, pr.Registers.Single(r => r.Name == "msr").Value);
        Assert.Equal(0x1111111100000005UL, pr.Registers.Single(r => r.Name == "gpr5").Value);
        var desc = d.Notes.Desc(d.Notes.PrStatus.Single());
        Assert.Equal(11u, Endian.U32(desc, ByteOrder.Little));
        Assert.Equal((ushort)6, Endian.U16(desc[12..], ByteOrder.Little));
        Assert.Equal(0x0102030405060708UL, Endian.U64(desc[16..], ByteOrder.Little));
        Assert.Equal(1234UL, Endian.U64(desc[48..], ByteOrder.Little));
        Assert.Equal(1u, Endian.U32(desc[496..], ByteOrder.Little));
        var fp = d.Notes.Notes.Single(n => n.Type == 2);
        Assert.Equal(0xF000000000000020UL, Endian.U64(d.Notes.Desc(fp)[(8 * 32)..], ByteOrder.Little));
        Assert.Contains(d.Notes.Notes, n => n.Type == 0x102);
        Assert.DoesNotContain(d.Notes.Notes, n => n.Type == 0x100);
        Assert.Contains(d.Warnings, w => w.Contains("saved MSR says the kernel ran little-endian") && w.Contains("CORE/type 0x100"));
    }

    [Theory]
    [InlineData(ByteOrder.Big, MsrBe64)]
    [InlineData(ByteOrder.Little, MsrLe64)]
    public void HeaderAgreesWithMsr_NothingChanges(ByteOrder order, ulong msr)
    {
        var path = QemuPseries(order, msr);
        using var d = DumpProbe.Open(path);
        Assert.Equal(order, d.Header.ByteOrder);
        Assert.Equal(4, d.Notes.Notes.Count); // the VMX note is kept as it is
        Assert.DoesNotContain(d.Warnings, w => w.Contains("MSR"));
    }

    [Fact]
    public void Reencode_TwiceGivesTheOriginalBytes()
    {
        var b = new ElfCoreBuilder { Machine = 21, Order = ByteOrder.Big }
            .Note("CORE", 1, PrStatus(ByteOrder.Big, 3, 0xc000000000001000UL, MsrBe64))
            .Note("CORE", 2, U64s(ByteOrder.Big, 33))
            .Note("VMCOREINFO", 0, "OSRELEASE=6.1.0\nPAGESIZE=65536\n"u8.ToArray());
        var blob = b.NoteBlob();
        var set = NoteSet.Parse(blob, ByteOrder.Big, 0, DumpLimits.Default);
        var dropped = new List<string>();
        var le = NoteByteOrder.Reencode(set, ByteOrder.Little, dropped);
        Assert.NotEqual(blob, le.Blob);
        var back = NoteByteOrder.Reencode(le, ByteOrder.Big, dropped);
        Assert.Equal(blob, back.Blob);
        Assert.Empty(dropped);
        Assert.Equal("OSRELEASE=6.1.0\nPAGESIZE=65536\n", VmcoreInfo.FromBytes(le.Desc(le.VmcoreInfoNote!)).Text);
    }
}
