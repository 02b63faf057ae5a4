using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Analysis;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Analysis;

/// <summary>The one model `hvdump info` renders: every fact from the source, VMCOREINFO's word first, the log read on demand.</summary>
public sealed class DumpDescriptionTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Synthetic() => SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf"));

    [Fact]
    public void Of_TheSyntheticElf_EveryFact()
    {
        var path = Synthetic();
        using var s = DumpProbe.Open(path);
        var d = DumpDescription.Of(s, null);
        Assert.Equal((path, "ELF vmcore (ELF64)", DumpFormat.Elf, "x86_64", Machine.X86_64, ByteOrder.Little, true, 4096),
            (d.File, d.FormatName, d.Format, d.Arch, d.Machine, d.ByteOrder, d.Is64Bit, d.PageSize));
        Assert.Equal(("6.1.0-test", (long?)1700000000), (d.KernelRelease, d.CrashTime));
        var cpu = Assert.Single(d.Cpus);
        Assert.Equal(1234, cpu.Pid);
        // 64 PFNs with a hole at 32–47: 48 pages of RAM, all saved.
        Assert.Equal((64UL, 48UL, 48UL, 0), (d.MaxPfn, d.PagesRam, d.PagesPresent, d.DumpLevel));
        Assert.Null(d.Kdump);
        Assert.NotNull(d.Elf);
        Assert.Equal(2, d.Elf.Loads.Count());
        Assert.Equal(["CORE", "VMCOREINFO"], d.Notes.Select(n => n.Name));
        Assert.Equal("6.1.0-test", d.VmcoreInfo!.OsRelease);
        Assert.Null(d.RegionMap);
        Assert.Empty(d.Regions);
        Assert.Empty(d.Warnings);
    }

    [Fact]
    public void Of_TheLogIsReadOnlyWhenAsked()
    {
        using var s = DumpProbe.Open(Synthetic());
        var d = DumpDescription.Of(s, null);
        Assert.False(d.Log.IsValueCreated);
        Assert.Equal(["Linux version 6.1.0-test", "line one\nline two", "sysrq: Trigger a crash"],
            d.Log.Value.Records.Select(r => Encoding.ASCII.GetString(r.Text)));
    }

    [Fact]
    public void Of_KdumpWithAnotherVmcoreInfo_VmcoreInfosReleaseAndCrashTimeWin()
    {
        using var s = new VmcoreInfoOverride(DumpProbe.Open(Samples.Kdump), new VmcoreInfo("OSRELEASE=9.9.9-other\nCRASHTIME=42\n"));
        var d = DumpDescription.Of(s, null);
        Assert.Equal("6.1.0-test", s.Facts.KernelRelease); // what the kdump header says
        Assert.Equal(("9.9.9-other", (long?)42), (d.KernelRelease, d.CrashTime));
        Assert.NotNull(d.Kdump);
        Assert.Null(d.Elf);
        Assert.StartsWith("kdump-compressed", d.FormatName);
    }

    /// <summary>A source with its VMCOREINFO taken away.</summary>
    private sealed class NoVmcoreInfo(IDumpSource inner) : DumpSourceDecorator(inner, ownsInner: true)
    {
        public override VmcoreInfo? VmcoreInfo => null;
    }

    [Fact]
    public void Of_KdumpWithoutVmcoreInfo_TheHeadersReleaseAndTimestamp()
    {
        using var s = new NoVmcoreInfo(DumpProbe.Open(Samples.Kdump));
        var d = DumpDescription.Of(s, null);
        Assert.Null(d.VmcoreInfo);
        Assert.NotNull(s.Facts.CrashTime);
        Assert.Equal(("6.1.0-test", s.Facts.CrashTime), (d.KernelRelease, d.CrashTime));
    }

    [Fact]
    public void Of_WithARegionMap_EachRegionWithThePiecesThatHoldIt()
    {
        using var s = DumpProbe.Open(Synthetic());
        var map = RegionMap.Parse("CPU:0x1000-0x1000: DUMP:0x1f000-0x2000:");
        var d = DumpDescription.Of(s, map);
        Assert.Same(map, d.RegionMap);
        ulong first = s.Facts.Elf!.Extents[0].FileOffset;
        Assert.Equal(2, d.Regions.Count);
        Assert.Equal(map.Regions[0], d.Regions[0].Region);
        Assert.Equal([new RegionExtent(0x1000, 0x1000, first + 0x1000)], d.Regions[0].Extents);
        // The first DUMP copy preserves physical 0: its pieces are [0, 0x2000).
        Assert.Equal([new RegionExtent(0, 0x2000, first)], d.Regions[1].Extents);
    }
}
