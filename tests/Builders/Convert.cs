using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Tests.Builders;

/// <summary>Library-level conversion for tests (the CLI tests drive the executable path).</summary>
public static class Convert
{
    public static WriteSummary To(string input, string output, string format, PageCompression comp = PageCompression.Zstd, int level = 0)
    {
        using var src = DumpProbe.Open(input);
        return To(src, output, format, comp, level);
    }

    public static WriteSummary To(IDumpSource src, string output, string format, PageCompression comp = PageCompression.Zstd, int level = 0)
    {
        var f = DumpWriters.Parse(format) ?? throw new ArgumentException($"format {format}", nameof(format));
        var opt = new WriterOptions { Compression = DumpWriters.Codec(f, comp), DumpLevel = level, Threads = 2 };
        using var fs = File.Create(output);
        using var dump = DumpWriters.Create(f, OutputTarget.ToFile(fs));
        var s = dump.Write(src, opt);
        if (dump.Sidecar is { } sidecar)
            using (var side = File.Create(HvDumpKit.Reader.Raw.RawSidecar.PathFor(output))) sidecar.Write(side);
        return s;
    }

    /// <summary>Asserts every page of a equals b's page (present in both), and that present sets agree.</summary>
    public static void AssertSamePages(IDumpSource a, IDumpSource b, bool allowZeroExcluded = false)
    {
        int ps = a.Header.PageSize;
        var pa = new byte[ps];
        var pb = new byte[ps];
        foreach (var r in a.PresentRanges())
            for (ulong p = r.Start; p < r.End; p++)
            {
                var sa = a.ReadPage(p, pa);
                var sb = b.ReadPage(p, pb);
                if (allowZeroExcluded && sb != PageStatus.Present && pa.AsSpan().IndexOfAnyExcept((byte)0) < 0) continue;
                Xunit.Assert.True(sa == PageStatus.Present && sb == PageStatus.Present, $"pfn {p}: {sa} vs {sb}");
                Xunit.Assert.True(pa.AsSpan().SequenceEqual(pb), $"pfn {p} differs");
            }
    }
}
