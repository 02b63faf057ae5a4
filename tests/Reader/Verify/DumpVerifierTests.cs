using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Verify;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.Cli;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Reader.Verify;

public sealed class DumpVerifierTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>The committed golden manifest of the committed sample.</summary>
    public static string Golden => Repo.TestData("elf", "synth-x86_64.manifest.json");

    [Theory]
    [InlineData("kdump", PageCompression.Zlib)]
    [InlineData("kdump", PageCompression.Lzo)]
    [InlineData("kdump", PageCompression.Snappy)]
    [InlineData("kdump", PageCompression.Zstd)]
    [InlineData("flat", PageCompression.Lzo)]
    [InlineData("elf", PageCompression.None)]
    [InlineData("raw", PageCompression.None)]
    public void WriterOutputs_VerifyAgainstTheCommittedGolden(string format, PageCompression comp)
    {
        var outp = _dir.File("o." + format);
        Builders.Convert.To(Samples.Elf, outp, format, comp);
        using var d = DumpProbe.Open(outp);
        var r = DumpVerifier.Verify(d, 2, Manifest.Read(Golden), Golden);
        Assert.True(r.Ok, string.Join("; ", r.Problems));
        Assert.Equal(48UL, r.Matched);
    }

    [Fact]
    public void Level31Output_ExcludedByClassNoMismatch()
    {
        using var f = new FilteredDumpSource(DumpProbe.Open(Samples.Elf), 31);
        var outp = _dir.File("d31.kdump");
        Builders.Convert.To(f, outp, "kdump", PageCompression.Zstd, 31);
        using var d = DumpProbe.Open(outp);
        var r = DumpVerifier.Verify(d, 2, Manifest.Read(Golden), Golden);
        Assert.True(r.Ok);
        Assert.Equal(41UL, r.Matched);
        Assert.Equal(7UL, r.ExcludedByLevel);
        Assert.Equal(new Dictionary<string, ulong> { ["cache"] = 1, ["cache_private"] = 1, ["user"] = 1, ["free"] = 4 }, r.ExcludedByClass);
    }

    [Theory]
    [InlineData(PageCompression.Zlib)]
    [InlineData(PageCompression.Lzo)]
    [InlineData(PageCompression.Snappy)]
    [InlineData(PageCompression.Zstd)]
    public void FlippedByteInACompressedPage_ReportedWithItsPfn(PageCompression comp)
    {
        var outp = _dir.File("flip.kdump");
        Builders.Convert.To(Samples.Elf, outp, "kdump", comp);
        var b = File.ReadAllBytes(outp);
        long off = BitConverter.ToInt64(b, 16384 + 20 * 24); // pfn 20's descriptor
        uint size = BitConverter.ToUInt32(b, 16384 + 20 * 24 + 8);
        b[off + size / 2] ^= 0x01;
        File.WriteAllBytes(outp, b);
        using var d = DumpProbe.Open(outp);
        var r = DumpVerifier.Verify(d, 2, Manifest.Read(Golden), Golden);
        Assert.False(r.Ok);
        // A codec with a checksum reports a corrupt page; LZO and snappy decode silently wrong bytes.
        Assert.True(r.Corrupt.Any(c => c.Pfn == 20) || r.MismatchedPfns.Contains(20UL), $"corrupt {string.Join(",", r.Corrupt)} mismatch {string.Join(",", r.MismatchedPfns)}");
        Assert.Contains(20UL, r.MismatchedPfns);
    }

    /// <summary>
    /// The reader skips decompressing bytes it has already seen decode to a zero page; a flip
    /// inside a later zero page's bytes must still be caught.
    /// </summary>
    [Theory]
    [InlineData(PageCompression.Zlib)]
    [InlineData(PageCompression.Lzo)]
    public void FlippedByteInALaterZeroPage_ReportedWithItsPfn(PageCompression comp)
    {
        var outp = _dir.File("zflip.kdump");
        Builders.Convert.To(Samples.Elf, outp, "kdump", comp);
        var zeroPfns = new List<ulong>();
        using (var src = DumpProbe.Open(outp))
        {
            var page = new byte[4096];
            for (ulong pfn = 0; pfn < src.MaxPfn; pfn++)
                if (src.ReadPage(pfn, page) == PageStatus.Present && !page.AsSpan().ContainsAnyExcept((byte)0)) zeroPfns.Add(pfn);
        }
        Assert.True(zeroPfns.Count >= 2, "the sample needs two zero pages");
        ulong victim = zeroPfns[^1];
        var b = File.ReadAllBytes(outp);
        long off = BitConverter.ToInt64(b, 16384 + (int)victim * 24);
        uint size = BitConverter.ToUInt32(b, 16384 + (int)victim * 24 + 8);
        b[off + size - 3] ^= 0x10;
        File.WriteAllBytes(outp, b);
        using var d = DumpProbe.Open(outp);
        var r = DumpVerifier.Verify(d, 2, Manifest.Read(Golden), Golden);
        Assert.False(r.Ok);
        Assert.Contains(victim, r.MismatchedPfns);
    }

    [Fact]
    public void TruncatedFile_MissingFromAPfnOn()
    {
        var outp = _dir.File("cut.kdump");
        Builders.Convert.To(Samples.Elf, outp, "kdump", PageCompression.None);
        var b = File.ReadAllBytes(outp);
        File.WriteAllBytes(outp, b.AsSpan(0, b.Length - 10 * 4096).ToArray());
        using var d = DumpProbe.Open(outp);
        var r = DumpVerifier.Verify(d, 2);
        Assert.False(r.Ok);
        Assert.Equal(10UL, r.PagesMissing);
        Assert.Equal(54UL, r.FirstMissingPfn); // the last 10 of PFNs 48–63
    }
}
