using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader;

/// <summary>What a file is by its first bytes, and the reader that opens it.</summary>
public sealed class DumpProbeTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("kdump", DumpFormat.Kdump)]
    [InlineData("flat", DumpFormat.Flattened)]
    [InlineData("elf", DumpFormat.Elf)]
    [InlineData("raw", DumpFormat.Raw)]
    public void Identify_EachWriterOutput_ItsFormat(string format, DumpFormat want)
    {
        var outp = _dir.File("o." + format);
        Builders.Convert.To(Samples.Elf, outp, format, format is "kdump" or "flat" ? PageCompression.Zlib : PageCompression.None);
        Assert.Equal(want, DumpProbe.Identify(outp));
        using var d = DumpProbe.Open(outp);
        Assert.Equal(want, d.Header.Format);
    }

    [Fact]
    public void Identify_NeitherMagicNorSidecar_Unknown()
    {
        var f = _dir.File("text");
        File.WriteAllText(f, "not a dump at all");
        Assert.Equal(DumpFormat.Unknown, DumpProbe.Identify(f));
        var ex = Assert.Throws<DumpFormatException>(() => DumpProbe.Open(f));
        Assert.Equal("signature", ex.FieldName);
    }

    [Fact]
    public void Open_Input_ByFirstBytes()
    {
        using var d = DumpProbe.Open(new MemoryInput(File.ReadAllBytes(Samples.Kdump), "k"));
        Assert.Equal(DumpFormat.Kdump, d.Header.Format);
        Assert.Equal(64UL, d.MaxPfn);
        Assert.Throws<DumpFormatException>(() => DumpProbe.Open(new MemoryInput(new byte[64], "zeros")));
    }

    [Fact]
    public void Open_SuppliedVmcoreInfo_UsedInsteadOfTheDumps()
    {
        var vi = VmcoreInfo.FromBytes("OSRELEASE=9.9.9-given\nPAGESIZE=4096\n"u8);
        using (var k = DumpProbe.Open(Samples.Kdump, vmcoreInfo: vi))
            Assert.Equal("9.9.9-given", k.VmcoreInfo?.OsRelease);
        using (var e = DumpProbe.Open(Samples.Elf, vmcoreInfo: vi))
            Assert.Equal("9.9.9-given", e.VmcoreInfo?.OsRelease);
        using var plain = DumpProbe.Open(Samples.Kdump);
        Assert.Equal("6.1.0-test", plain.VmcoreInfo?.OsRelease);
    }

    [Fact]
    public void OpenWhole_TruncatedElf_RefusedNamingTheLoad()
    {
        var bytes = File.ReadAllBytes(Samples.Elf);
        var cut = _dir.File("cut.elf");
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length - 3 * 4096).ToArray());
        using (var d = DumpProbe.Open(cut)) Assert.NotNull(d.Facts.Elf?.Truncation);
        var ex = Assert.Throws<DumpFormatException>(() => DumpProbe.OpenWhole(cut));
        Assert.Equal("p_filesz", ex.FieldName);
    }
}
