using System.IO.Pipes;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers;

/// <summary>Every format and codec DumpWriters.Create maps to, end to end: what goes in comes back out.</summary>
public sealed class DumpWritersTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Synth() => SyntheticKernel.Vmcore().WriteTo(_dir.File("synth.elf"));

    [Theory]
    [InlineData("kdump", PageCompression.Zlib)]
    [InlineData("kdump", PageCompression.Lzo)]
    [InlineData("kdump", PageCompression.Snappy)]
    [InlineData("kdump", PageCompression.Zstd)]
    [InlineData("kdump", PageCompression.None)]
    [InlineData("flat", PageCompression.Zlib)]
    [InlineData("flat", PageCompression.Zstd)]
    [InlineData("elf", PageCompression.None)]
    [InlineData("raw", PageCompression.None)]
    public void Convert_EveryFormatAndCodec_KeepsEveryPageAndNote(string format, PageCompression comp)
    {
        var input = Synth();
        var output = _dir.File("out." + format);
        Builders.Convert.To(input, output, format, comp);
        using var a = DumpProbe.Open(input);
        using var b = DumpProbe.Open(output);
        Assert.Equal(a.PresentRanges().ToArray(), b.PresentRanges().ToArray());
        Assert.Equal(a.RamRanges().ToArray(), b.RamRanges().ToArray());
        Assert.Equal(a.Notes.Blob, b.Notes.Blob);
        Assert.Equal(a.VmcoreInfo!.Text, b.VmcoreInfo!.Text);
        Assert.Equal(a.Header.Machine, b.Header.Machine);
        Builders.Convert.AssertSamePages(a, b);
    }

    [Fact]
    public void Convert_ChainElfKdumpFlatRawElf_KeepsEverything()
    {
        var input = Synth();
        string k = _dir.File("a.kdump"), f = _dir.File("b.flat"), r = _dir.File("c.raw"), e = _dir.File("d.elf");
        Builders.Convert.To(input, k, "kdump", PageCompression.Lzo);
        Builders.Convert.To(k, f, "flat", PageCompression.Snappy);
        Builders.Convert.To(f, r, "raw");
        Builders.Convert.To(r, e, "elf");
        using var a = DumpProbe.Open(input);
        using var z = DumpProbe.Open(e);
        Assert.Equal(a.Notes.Blob, z.Notes.Blob);
        Assert.Equal(a.PresentRanges().ToArray(), z.PresentRanges().ToArray());
        Builders.Convert.AssertSamePages(a, z);
    }

    /// <summary>
    /// ppc64 (big-endian) and ppc64le dumps with 64 KiB and 4 KiB pages through every format and
    /// codec and back: ELF → kdump (codec) → flattened → raw → ELF keeps every page, the notes,
    /// and the dumped kernel's byte order.
    /// </summary>
    [Theory]
    [InlineData(ByteOrder.Big, 65536, PageCompression.Zlib)]
    [InlineData(ByteOrder.Big, 65536, PageCompression.Lzo)]
    [InlineData(ByteOrder.Big, 4096, PageCompression.Snappy)]
    [InlineData(ByteOrder.Big, 4096, PageCompression.Zstd)]
    [InlineData(ByteOrder.Little, 65536, PageCompression.Zstd)]
    [InlineData(ByteOrder.Little, 4096, PageCompression.Lzo)]
    public void Ppc64_ChainThroughEveryFormat_KeepsPagesNotesAndByteOrder(ByteOrder order, int pageSize, PageCompression comp)
    {
        var data = new byte[6 * pageSize];
        new Random(pageSize).NextBytes(data.AsSpan(0, 2 * pageSize));
        for (int i = 3 * pageSize; i < 5 * pageSize; i++) data[i] = (byte)(i % 251);
        var input = new ElfCoreBuilder { Order = order, Machine = 21, Flags = order == ByteOrder.Little ? 2u : 1u }
            .PrStatus(1, 0xc000000000001234).PrStatus(2, 0xc000000000005678)
            .VmcoreInfo($"OSRELEASE=6.1.0-ppc\nPAGESIZE={pageSize}\n")
            .AddLoad(0, data).AddLoad(8UL * (ulong)pageSize, data.AsSpan(0, 2 * pageSize).ToArray())
            .WriteTo(_dir.File("ppc.elf"));
        string kdump = _dir.File("ppc.kdump"), flat = _dir.File("ppc.flat"), raw = _dir.File("ppc.raw"), back = _dir.File("back.elf");
        Builders.Convert.To(input, kdump, "kdump", comp);
        Builders.Convert.To(kdump, flat, "flat", comp);
        Builders.Convert.To(flat, raw, "raw");
        Builders.Convert.To(raw, back, "elf");
        using var a = DumpProbe.Open(input);
        foreach (var f in new[] { kdump, flat, raw, back })
        {
            using var b = DumpProbe.Open(f);
            Assert.Equal(order, b.Header.ByteOrder);
            Assert.Equal(pageSize, b.Header.PageSize);
            Assert.Equal(Machine.Ppc64, b.Header.Machine);
            Assert.Equal(2, b.Notes.PrStatus.Count());
            Assert.Equal("6.1.0-ppc", b.VmcoreInfo?.OsRelease);
            Builders.Convert.AssertSamePages(a, b);
        }
        using var k = (KdumpDumpSource)DumpProbe.Open(kdump);
        Assert.Equal(order == ByteOrder.Big ? "ppc64" : "ppc64le", k.Kdump.Machine);
    }

    [Fact]
    public void DumpWritersCreate_ToStream_NotDurable_ToFile_Durable()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using (var toPipe = DumpWriters.Create(OutputFormat.Flattened, OutputTarget.ToStream(pipe, ownsStream: false)))
            Assert.False(toPipe.Sink.IsDurable);
        using var fs = File.Create(_dir.File("out.flat"));
        using (var toFile = DumpWriters.Create(OutputFormat.Flattened, OutputTarget.ToFile(fs)))
            Assert.True(toFile.Sink.IsDurable);
    }
}
