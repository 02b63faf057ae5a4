using HvDumpKit.Cli.Output;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Analysis;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli.Output;

/// <summary>`hvdump info`'s text for dumps built here: the lines each part of a DumpDescription turns into.</summary>
public sealed class DescriptionTextTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    internal static string[] Lines(string path, RegionMap? map = null)
    {
        using var s = DumpProbe.Open(path);
        var w = new StringWriter { NewLine = "\n" };
        DescriptionText.Write(DumpDescription.Of(s, map), w);
        return w.ToString().TrimEnd('\n').Split('\n');
    }

    /// <summary>Two pages and one CPU, without VMCOREINFO: what a dump says about itself alone.</summary>
    internal static string Bare(TempDir dir) => new ElfCoreBuilder().PrStatus(77, ip: 0xffffffff81000010)
        .AddLoad(0, new byte[2 * 4096], vaddr: SyntheticKernel.Kv(0)).WriteTo(dir.File("bare.elf"));

    [Fact]
    public void Write_SyntheticKernel_HeaderLinesFromTheDumpAndVmcoreInfo()
    {
        var lines = Lines(SyntheticKernel.Vmcore().WriteTo(_dir.File("v.elf")));
        Assert.Equal($"file:         {_dir.File("v.elf")}", lines[0]);
        Assert.Equal("format:       ELF vmcore (ELF64)", lines[1]);
        Assert.Equal("arch:         x86_64 (e_machine 62)", lines[2]);
        Assert.Equal("byte order:   little-endian", lines[3]);
        Assert.Equal("kernel:       6.1.0-test", lines[5]);
        Assert.Equal("crash time:   2023-11-14 22:13:20 UTC", lines[6]); // CRASHTIME=1700000000
        Assert.Equal("CPUs:         1 (NT_PRSTATUS)", lines[7]);
        Assert.Equal("  cpu0: pid 1234 rip=0x0000000000000000", lines[8]);
        Assert.Equal("pages:        48 RAM, 48 present, 0 excluded", lines[10]); // 64 PFNs, hole at 32–47
        Assert.Equal("segments:     1 PT_NOTE, 2 PT_LOAD", lines[12]);
        Assert.Contains("  SYMBOL(prb)            ffff88800001c000", lines);
        Assert.Equal("  [    3.000001] sysrq: Trigger a crash", lines[^1]);
    }

    [Fact]
    public void Write_NoVmcoreInfo_UnknownKernelAndTimeAndNoLog()
    {
        var lines = Lines(Bare(_dir));
        Assert.Equal("kernel:       unknown", lines[5]);
        Assert.Equal("crash time:   unknown", lines[6]);
        Assert.Equal("  cpu0: pid 77 rip=0xffffffff81000010", lines[8]);
        Assert.Equal("max PFN:      2", lines[9]);
        Assert.Contains("VMCOREINFO:   none", lines);
        Assert.StartsWith("kernel log:   none (", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("dump level:", StringComparison.Ordinal)); // level 0 is not shown
    }

    [Fact]
    public void Write_Elf_ProgramHeaderTableRowPerSegment()
    {
        var lines = Lines(Bare(_dir));
        int table = Array.IndexOf(lines, "  type      paddr              memsz              offset             filesz             vaddr");
        Assert.True(table > 0);
        Assert.StartsWith("  PT_NOTE   0x0000000000000000 ", lines[table + 1]);
        Assert.Equal("  PT_LOAD   0x0000000000000000 0x0000000000002000 0x0000000000001000 0x0000000000002000 0xffff888000000000",
            lines[table + 2]);
        Assert.Equal("notes:        1", lines[table + 3]);
        Assert.Equal("  CORE        NT_PRSTATUS     336 bytes", lines[table + 4]);
    }

    [Fact]
    public void Write_Kdump_HeaderFieldsAndDumpLevel()
    {
        var lines = Lines(Samples.Kdump);
        Assert.Equal("format:       kdump-compressed (header_version 6)", lines[1]);
        Assert.Contains("dump level:   1", lines);
        Assert.Contains("compression:  zstd", lines);
        Assert.Contains("utsname:      Linux testhost 6.1.0-test x86_64", lines);
        Assert.Contains("phys_base:    0x0", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("e_phoff:", StringComparison.Ordinal));
    }

    /// <summary>A region is related to the dump extent by extent: where its bytes are in the file, or that they are not.</summary>
    [Fact]
    public void Write_RegionMap_RegionsAndTheirExtents()
    {
        var map = RegionMap.ParseReleaseRegion("CPU:0x1000-0x1000: HPTE:0x4000-0x1000");
        var lines = Lines(Bare(_dir), map);
        int at = Array.IndexOf(lines, "regions:      2 (release_region)");
        Assert.True(at > 0, string.Join('\n', lines));
        Assert.Equal("  CPU   addr 0x1000 size 0x1000", lines[at + 1]);
        Assert.Equal("        physical 0x1000+0x1000 at file offset 0x2000", lines[at + 2]);
        Assert.Equal("  HPTE  addr 0x4000 size 0x1000", lines[at + 3]);
        Assert.Equal("        physical 0x4000+0x1000 not in the dump", lines[at + 4]);
    }
}
