using System.Globalization;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// A vmcore the kernel built with FADump (scripts/make-fadump-fixture.sh: Linux 6.12 ppc64le
/// with CONFIG_FA_DUMP under forky's QEMU 11, `fadump=on crashkernel=512M`): the capture boot's
/// /proc/vmcore copied raw, and fadump_region as the kernel wrote it on the first boot, with the
/// dump active, after release_mem and after re-registration. The oracles are the kernel's own
/// words (the guest's dmesg) and forky's ppc64el makedumpfile 1.7.8 under qemu-user
/// (scripts/make-ppc64el-root.sh forky). scripts/test.sh does not build this fixture yet: a
/// missing one is skipped, and a failure only with HVDUMP_E2E_FADUMP=1.
/// </summary>
[Collection("real vmcore")]
public sealed class FadumpTests : IDisposable
{
    private const string Fixture = "fadump-2g";
    private const int PageSize = 65536;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static string Dir => Environment.GetEnvironmentVariable("HVDUMP_FADUMP_FIXTURE") is { Length: > 0 } d ? d
        : Path.Combine(Environment.GetEnvironmentVariable("FIXTURES") is { Length: > 0 } f ? f
            : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache/hvdump-fixtures"), Fixture);

    private static string File_(string name)
    {
        var f = Path.Combine(Dir, name);
        if (File.Exists(f)) return f;
        if (Environment.GetEnvironmentVariable("HVDUMP_E2E_FADUMP") == "1")
            Assert.Fail($"FADump fixture file {f} missing (scripts/make-fadump-fixture.sh makes it)");
        Skip.If(true, $"FADump fixture {f} not available (scripts/make-fadump-fixture.sh makes it)");
        return f;
    }

    private static string Vmcore => File_("vmcore");

    /// <summary>forky's ppc64el makedumpfile 1.7.8 under qemu-user-static.</summary>
    private static RealTools.Result Makedumpfile(params string[] args)
    {
        var root = Path.Combine(RealTools.Cache, "ppc64el-root-forky");
        var bin = Path.Combine(root, "usr/bin/makedumpfile");
        if (!File.Exists(bin))
        {
            if (Environment.GetEnvironmentVariable("HVDUMP_E2E_FADUMP") == "1") Assert.Fail($"{bin} missing (scripts/make-ppc64el-root.sh forky)");
            Skip.If(true, $"{bin} not available (scripts/make-ppc64el-root.sh forky makes it)");
        }
        return RealTools.Run(RealTools.Tool("qemu-ppc64le-static"), ["-L", root, bin, .. args], timeoutSeconds: 900);
    }

    [SkippableTheory]
    [InlineData("boot1", false)]
    [InlineData("active", true)]
    [InlineData("released", false)]
    [InlineData("rearmed", false)]
    public void RegionMap_EveryVariantParses_DumpedCountsTellWhetherADumpIsActive(string variant, bool active)
    {
        var map = RegionMap.ParseFile(File_("fadump_region." + variant));
        Assert.Equal("fadump_region", map.Format);
        Assert.Equal(active, map.DumpActive);
        Assert.Contains(map.Regions, r => r.Kind == RegionKind.Cpu);
        var boot = Assert.Single(map.Regions, r => r.Kind == RegionKind.Dump);
        Assert.Equal(0UL, boot.SourceAddress);
        Assert.Equal(512UL << 20, boot.Size);
        Assert.Equal(active ? boot.Size : 0UL, boot.Dumped);
        Assert.Equal(active, map.ReservedAbove is not null);
        Assert.Empty(map.Warnings);
    }

    [SkippableFact]
    public void Info_ReadsTheKernelBuiltVmcore_TwoCpus64KPages()
    {
        var r = CliRunner.Run("info", Vmcore);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"arch:\s+ppc64le", r.Stdout);
        Assert.Matches(@"page size:\s+65536", r.Stdout);
        Assert.Matches(@"kernel:\s+6\.12\.\d+-fadump", r.Stdout);
        Assert.Matches(@"CPUs:\s+2 \(NT_PRSTATUS\)", r.Stdout);
    }

    [SkippableFact]
    public void Info_RegionMapActive_RelatesBootMemoryAndTheReservedAreaToTheDump()
    {
        var r = CliRunner.Run("info", Vmcore, "--region-map", File_("fadump_region.active"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("(fadump_region, dump active)", r.Stdout);
        // Boot memory, which the firmware copied aside, is physical 0 in the vmcore; the memory
        // above the reserved area starts where FADump's own areas end.
        Assert.Matches(@"\n        physical 0x0\+0x20000000 at file offset 0x[0-9a-f]+\n", r.Stdout);
        Assert.Matches(@"\n  RESERVED addr 0x20000000 size 0x[0-9a-f]+ \(reserved for saving the crash dump\)\n" +
                       @"        physical 0x20000000\+0x[0-9a-f]+ not in the dump\n        physical 0x[0-9a-f]+\+0x[0-9a-f]+ at file offset", r.Stdout);
        Assert.Contains("register save area: the dump carries it as 2 NT_PRSTATUS notes", r.Stdout);
        Assert.DoesNotContain("warning", r.Stdout);
    }

    /// <summary>
    /// The second PT_LOAD starts inside a page (0x400101b0-style, where the reserved area ends):
    /// by makedumpfile's rule that page is dumped, its bytes before the segment reading as zero.
    /// </summary>
    [SkippableFact]
    public void UnalignedPtLoadStart_ThePageItStartsInIsPresent_TheBytesBeforeItZero()
    {
        using var src = DumpProbe.Open(Vmcore);
        var elf = src.Facts.Elf!;
        var high = elf.Extents.Single(e => e.PhysStart > 0);
        Assert.NotEqual(0UL, high.PhysStart % PageSize);
        ulong pfn = high.PhysStart / PageSize;
        Assert.Contains(src.RamRanges(), r => r.Start <= pfn && pfn < r.End);
        var page = new byte[PageSize];
        Assert.Equal(PageStatus.Present, src.ReadPage(pfn, page));
        int inPage = (int)(high.PhysStart % PageSize);
        Assert.True(page.AsSpan(0, inPage).IndexOfAnyExcept((byte)0) < 0, "the bytes before the segment read as zero");
        using var fs = File.OpenRead(Vmcore);
        var expect = new byte[PageSize - inPage];
        fs.Position = (long)high.FileOffset;
        fs.ReadExactly(expect);
        Assert.True(page.AsSpan(inPage).SequenceEqual(expect), "the page's bytes from the segment start are the file's");
    }

    [SkippableFact]
    public void Dmesg_HasEveryLineTheFirstKernelPrinted()
    {
        var ours = CliRunner.Run("dmesg", Vmcore);
        Assert.True(ours.ExitCode == 0, ours.Stderr);
        Assert.Contains("hvdump fixture: a line for dmesg", ours.Stdout);
        Assert.Contains("sysrq: Trigger a crash", ours.Stdout);
        var lines = ours.Stdout.Split('\n').ToHashSet();
        // busybox dmesg of the first kernel, just before the crash: its records are in the dump's log.
        // With CONFIG_PRINTK_CALLER the kernel writes "[    1.234567][    T1] text"; makedumpfile's form has no caller.
        var missing = File.ReadAllLines(File_("dmesg.boot1"))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"^(\[\s*\d+\.\d+\])\[\s*[TC]\d+\] ", "$1 "))
            // A record of several lines gets the prefix on each line from the kernel, indentation from makedumpfile.
            .Where(l => l.StartsWith('[') && !lines.Contains(l) && !ours.Stdout.Contains("\n" + new string(' ', 15) + l[15..])).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} lines of dmesg.boot1 not in hvdump dmesg, first: {missing.FirstOrDefault()}");
    }

    [SkippableFact]
    public void DmesgCaller_EqualsForkyMakedumpfile178()
    {
        var md = _dir.File("md.dmesg");
        Makedumpfile("--dump-dmesg", Vmcore, md).Ok("makedumpfile 1.7.8 --dump-dmesg");
        var ours = CliRunner.Run("dmesg", Vmcore, "--caller");
        Assert.True(ours.ExitCode == 0, ours.Stderr);
        Assert.Contains("] [      T", ours.Stdout);
        Assert.Equal(File.ReadAllText(md), ours.Stdout);
    }

    public static IEnumerable<object[]> Levels() => new[] { 1, 2, 4, 8, 16, 31 }.Select(l => new object[] { l });

    [SkippableTheory]
    [MemberData(nameof(Levels))]
    public void DumpLevel_SamePfnsAsMakedumpfile178(int level)
    {
        string l = level.ToString(CultureInfo.InvariantCulture);
        var mdOut = _dir.File($"md-d{l}.kdump");
        var hvOut = _dir.File($"hv-d{l}.kdump");
        Makedumpfile("-l", "-d", l, Vmcore, mdOut).Ok("makedumpfile 1.7.8 -l");
        var h = CliRunner.Run("convert", Vmcore, hvOut, "--compress", "lzo", "--dump-level", l);
        Assert.True(h.ExitCode == 0, h.Stderr);
        RealTools.SamePfns(hvOut, mdOut);
    }
}
