using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Verify;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Verify;

public sealed class DumpDiffTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>The committed golden manifest of the committed sample.</summary>
    private static string Golden => Samples.Manifest;

    [Fact]
    public void Diff_ElfAndKdump_SameAndAChangedPageNamed()
    {
        var k = _dir.File("k.kdump");
        Builders.Convert.To(Samples.Elf, k, "kdump", PageCompression.Zlib);
        using (var a = DumpProbe.Open(Samples.Elf))
        using (var b = DumpProbe.Open(k))
            Assert.True(DumpDiff.Compare(a, b, 2).Same);
        var changed = _dir.File("c.elf");
        var bytes = File.ReadAllBytes(Samples.Elf);
        bytes[4096 + 20 * 4096 + 100] ^= 0xFF; // data starts at file offset 4096: pfn 20, byte 100
        File.WriteAllBytes(changed, bytes);
        var r = CliRunner.Run("diff", k, changed);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("PFN 0x14 differs from byte 100", r.Stdout);
    }
}
