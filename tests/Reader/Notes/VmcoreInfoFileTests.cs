using HvDumpKit.Reader;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Notes;

/// <summary>--vmcoreinfo / makedumpfile -i: the text makedumpfile -g writes, or the kernel's ELF note in either byte order.</summary>
public sealed class VmcoreInfoFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();
    private const string Text = "OSRELEASE=6.1.0-50-powerpc64le\nPAGESIZE=65536\nSYMBOL(mem_section)=c00000001fefeb00\n";

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Note_InEitherByteOrder(ByteOrder order)
    {
        var path = _dir.File("note");
        File.WriteAllBytes(path, NoteBuilder.Note("VMCOREINFO", 0, System.Text.Encoding.ASCII.GetBytes(Text), order));
        var vi = VmcoreInfoFile.Load(path);
        Assert.Equal("6.1.0-50-powerpc64le", vi.OsRelease);
        Assert.Equal(0xc00000001fefeb00UL, vi.Symbol("mem_section"));
    }

    [Fact]
    public void Text_AsMakedumpfileWritesIt()
    {
        var path = _dir.File("txt");
        File.WriteAllText(path, Text);
        Assert.Equal(65536, VmcoreInfoFile.Load(path).PageSize);
    }

    [Fact]
    public void CutNote_NamesTheField()
    {
        var path = _dir.File("cut");
        var note = NoteBuilder.Note("VMCOREINFO", 0, System.Text.Encoding.ASCII.GetBytes(Text), ByteOrder.Little);
        File.WriteAllBytes(path, note[..40]);
        var ex = Assert.Throws<DumpFormatException>(() => VmcoreInfoFile.Load(path));
        Assert.Contains("n_descsz", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void NoKeyValueLines_IsAnError()
    {
        var path = _dir.File("junk");
        File.WriteAllBytes(path, new byte[100]);
        Assert.Throws<DumpFormatException>(() => VmcoreInfoFile.Load(path));
    }

    [Fact]
    public void SuppliedToAnElf_SetsPageSizeAndBecomesItsNote()
    {
        // A 4 KiB-page ppc64 kernel's dump without VMCOREINFO would otherwise be read with 64 KiB pages.
        var elf = new ElfCoreBuilder { Machine = 21, Order = ByteOrder.Big }.AddLoad(0, new byte[65536]).WriteTo(_dir.File("be.elf"));
        using (var plain = DumpProbe.Open(elf)) Assert.Equal(65536, plain.Header.PageSize);
        using var d = DumpProbe.Open(elf, vmcoreInfo: new VmcoreInfo("OSRELEASE=6.1.0\nPAGESIZE=4096\n"));
        Assert.Equal(4096, d.Header.PageSize);
        Assert.Equal(16UL, d.MaxPfn);
        Assert.Equal("6.1.0", VmcoreInfo.FromBytes(d.Notes.Desc(d.Notes.VmcoreInfoNote!)).OsRelease);
        Assert.Equal(ByteOrder.Big, d.Notes.ByteOrder);
    }
}
