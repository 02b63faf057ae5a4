using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// PT_LOADs whose edges fall inside a page, as the kernel builds /proc/vmcore (with kexec_load a
/// PT_LOAD 0x1000–0x9fc00; on FADump one starting at 0x400101b0): the same PFNs as the real
/// makedumpfile on the same file — a page a segment starts inside is dumped, one it ends inside is not.
/// </summary>
public sealed class PartialPageTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>The synthetic kernel with its second PT_LOAD starting 1 KiB into PFN 48 and ending 1 KiB short of the last PFN.</summary>
    private string UnalignedVmcore()
    {
        const int page = SyntheticKernel.Page, npfn = 64;
        var mem = SyntheticKernel.Memory(npfn);
        ulong start = 48 * page + 0x400, end = npfn * page - 0x400;
        var b = new ElfCoreBuilder().PrStatus(1234).VmcoreInfo(SyntheticKernel.VmcoreInfo());
        b.AddLoad(0, mem.AsSpan(0, 32 * page).ToArray(), vaddr: SyntheticKernel.Kv(0));
        b.AddLoad(start, mem.AsSpan((int)start, (int)(end - start)).ToArray(), vaddr: SyntheticKernel.Kv(start));
        return b.WriteTo(_dir.File("unaligned.elf"));
    }

    [Fact]
    public void RamAndPresentRanges_StartPageIn_EndPageOut()
    {
        using var src = DumpProbe.Open(UnalignedVmcore());
        Assert.Equal([new PfnRange(0, 32), new PfnRange(48, 63)], src.RamRanges().ToArray());
        Assert.Equal([new PfnRange(0, 32), new PfnRange(48, 63)], src.PresentRanges().ToArray());
        var page = new byte[SyntheticKernel.Page];
        Assert.Equal(PageStatus.Present, src.ReadPage(48, page));
        Assert.True(page.AsSpan(0, 0x400).IndexOfAnyExcept((byte)0) < 0, "the bytes before the segment read as zero");
    }

    [SkippableTheory]
    [InlineData("0")]
    [InlineData("1")]
    public void Convert_SamePfnsAsMakedumpfile(string level)
    {
        var vmcore = UnalignedVmcore();
        string ours = _dir.File($"ours-d{level}.kdump"), theirs = _dir.File($"theirs-d{level}.kdump");
        RealTools.Run(RealTools.Tool("makedumpfile"), ["-l", "-d", level, vmcore, theirs]).Ok("makedumpfile -l -d " + level);
        var r = CliRunner.Run("convert", vmcore, ours, "--compress", "lzo", "--dump-level", level);
        Assert.True(r.ExitCode == 0, r.Stderr);
        RealTools.SamePfns(ours, theirs);
        Assert.True(RealTools.DumpedPfns(theirs) > 0);
    }

    /// <summary>An ELF of it has the real makedumpfile -E's program headers (oracle: readelf on both).</summary>
    [SkippableFact]
    public void Elf_SameProgramHeadersAsMakedumpfileE()
    {
        var vmcore = UnalignedVmcore();
        string ours = _dir.File("ours.elf"), theirs = _dir.File("theirs.elf");
        RealTools.Run(RealTools.Tool("makedumpfile"), ["-E", "-d", "0", vmcore, theirs]).Ok("makedumpfile -E -d 0");
        var r = CliRunner.Run("convert", vmcore, ours, "--format", "elf");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(CaptureKernelTests.Loads(theirs), CaptureKernelTests.Loads(ours));
    }
}
