using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Elf;
using Xunit;

namespace HvDumpKit.Tests.Writers.Elf;

/// <summary>What an ELF source's own PT_LOADs say beyond page granularity: a partial last or first page, and the kernel image.</summary>
public sealed class SourceSegmentsTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const ulong Page = 4096;
    private const ulong KernelText = SyntheticKernel.KernelMap + 0x1000000;

    private SourceSegments Of(ElfCoreBuilder b)
    {
        using var source = DumpProbe.Open(b.WriteTo(_dir.File($"{Guid.NewGuid():N}.elf")));
        return new SourceSegments(source);
    }

    /// <summary>The kernel's kexec_load shape: MemSiz ends 0xc00 bytes into a page no other PT_LOAD continues.</summary>
    [Fact]
    public void TailAfter_LoadEndsInsidePage_BytesPastTheLastWholePage()
    {
        var s = Of(new ElfCoreBuilder().AddLoad(0, new byte[2 * Page], memSize: 2 * Page + 0xc00));
        Assert.Equal(0xc00UL, s.TailAfter(2));
        Assert.Equal(0UL, s.TailAfter(1));
        Assert.Equal(0UL, s.HeadIn(0));
    }

    /// <summary>A PT_LOAD that the next one continues: the page is RAM on, so no tail is kept.</summary>
    [Fact]
    public void TailAfter_NextLoadContinues_NoTail()
    {
        var s = Of(new ElfCoreBuilder().AddLoad(0, new byte[0x1800]).AddLoad(0x1800, new byte[0x800]));
        Assert.Equal(0UL, s.TailAfter(1));
    }

    /// <summary>FADump's shape: a PT_LOAD starting 0x1b0 into a page nothing before it fills.</summary>
    [Fact]
    public void HeadIn_LoadStartsInsidePage_BytesBeforeIt()
    {
        var s = Of(new ElfCoreBuilder().AddLoad(3 * Page + 0x1b0, new byte[Page - 0x1b0]));
        Assert.Equal(0x1b0UL, s.HeadIn(3));
        Assert.Equal(0UL, s.HeadIn(4));
    }

    [Fact]
    public void HeadIn_EarlierLoadFillsThePage_NoHead()
    {
        var s = Of(new ElfCoreBuilder().AddLoad(0, new byte[Page + 0x1b0]).AddLoad(Page + 0x1b0, new byte[Page - 0x1b0]));
        Assert.Equal(0UL, s.HeadIn(1));
    }

    /// <summary>The kernel-image PT_LOAD (vaddr in the kernel map) is an image, never a tail or head of RAM.</summary>
    [Fact]
    public void Images_KernelMapLoad_ItsStartsAndFileSize()
    {
        var s = Of(new ElfCoreBuilder().AddLoad(0, new byte[8 * Page], vaddr: SyntheticKernel.Kv(0))
            .AddLoad(Page, new byte[0x2800], memSize: 0x3000, vaddr: KernelText));
        Assert.Equal([new SourceSegments.KernelImage(KernelText, Page, 0x2800)], s.Images);
        Assert.Equal(0UL, s.TailAfter(3)); // the image's own end inside PFN 3 is not a RAM tail
    }

    [Fact]
    public void Images_KernelMapLoadWithoutFileBytes_Skipped()
    {
        var s = Of(new ElfCoreBuilder().AddLoad(0, new byte[Page]).AddLoad(Page, [], memSize: Page, vaddr: KernelText));
        Assert.Empty(s.Images);
    }

    [Fact]
    public void New_NotElf_PageGranularOnly()
    {
        using var kdump = DumpProbe.Open(Samples.Kdump);
        var s = new SourceSegments(kdump);
        Assert.Empty(s.Images);
        Assert.Equal(0UL, s.TailAfter(48));
        Assert.Equal(0UL, s.HeadIn(0));
    }

    /// <summary>An image over two output segments with a hole between: one piece per file part, at its offset in that segment.</summary>
    [Fact]
    public void Pieces_ImageAcrossTwoSegments_OnePieceEach()
    {
        var s = Of(new ElfCoreBuilder().AddLoad(0, new byte[8 * Page], vaddr: SyntheticKernel.Kv(0))
            .AddLoad(Page, new byte[4 * Page], vaddr: KernelText));
        ElfWriter.Segment[] segments = [new(0, 2, 2), new(3, 4, 6)];
        Assert.Equal(
        [
            new SourceSegments.KernelPiece(KernelText, Page, Page, 0, Page),
            new SourceSegments.KernelPiece(KernelText + 2 * Page, 3 * Page, Page, 1, 0),
        ], s.Pieces(segments, (int)Page));
    }

    [Fact]
    public void Pieces_NoImage_None() =>
        Assert.Empty(Of(new ElfCoreBuilder().AddLoad(0, new byte[Page])).Pieces([new ElfWriter.Segment(0, 1, 1)], (int)Page));
}
