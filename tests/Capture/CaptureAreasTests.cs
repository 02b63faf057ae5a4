using HvDumpKit.Capture;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.Reader.Arch.Ppc64;
using HvDumpKit.Writers.Release;
using Xunit;

namespace HvDumpKit.Tests.Capture;

/// <summary>The CPU and HPTE areas copied out of a dump, and the PRSTATUS notes made from the saved register save area.</summary>
public sealed class CaptureAreasTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const ulong CpuAt = 0x8000, HpteAt = 0xa000;

    /// <summary>A big-endian ppc64 dump of 64 KiB; at CpuAt what the CPU area holds, at HpteAt a recognisable page.</summary>
    private IDumpSource Ppc64(byte[] cpuArea, bool ownPrStatus = false)
    {
        var memory = new byte[0x10000];
        cpuArea.CopyTo(memory, (int)CpuAt);
        for (int i = 0; i < 0x1000; i++) memory[HpteAt + (ulong)i] = (byte)(i * 7);
        var b = new ElfCoreBuilder { Machine = 21, Order = ByteOrder.Big };
        if (ownPrStatus) b.PrStatus(42, 0xc0000000000000aa);
        var path = b.VmcoreInfo("OSRELEASE=6.1.0-test\nPAGESIZE=4096\n").AddLoad(0, memory).WriteTo(_dir.File("ppc64.vmcore"));
        return DumpProbe.Open(path);
    }

    private static RegionMap Map(string text = "CPU:0x8000-0x1000: HPTE:0xa000-0x1000: DUMP:0x0-0x8000") =>
        RegionMap.ParseReleaseRegion(text);

    private static byte[] TwoCpus() =>
        RegisterSaveAreaTests.Build((0, 0xc000000000001234, 0x8000000000001033), (1, 0xc000000000005678, 0x8000000000009033));

    [Fact]
    public void Save_CpuAndHpte_EachCopiedToItsFileAndRecorded()
    {
        var regsave = TwoCpus();
        using var dump = Ppc64(regsave);
        var status = new SaveStatus();
        CaptureAreas.Save(dump, Map(), _dir.Path, status);
        Assert.Equal(
            [new SavedArea(RegionKind.Cpu, CpuAt, 0x1000, "cpu-state.bin", 0x1000, 0),
                new SavedArea(RegionKind.Hpte, HpteAt, 0x1000, "hpte.bin", 0x1000, 0)],
            status.Areas);
        Assert.Equal(regsave, File.ReadAllBytes(_dir.File("cpu-state.bin")).AsSpan(0, regsave.Length).ToArray());
        Assert.Equal(Enumerable.Range(0, 0x1000).Select(i => (byte)(i * 7)), File.ReadAllBytes(_dir.File("hpte.bin")));
    }

    /// <summary>A second area of a kind gets a numbered file, so the first copy is never overwritten.</summary>
    [Fact]
    public void Save_TwoCpuAreas_SecondNumbered()
    {
        using var dump = Ppc64(TwoCpus());
        var status = new SaveStatus();
        CaptureAreas.Save(dump, Map("CPU:0x8000-0x1000: CPU:0xa000-0x1000"), _dir.Path, status);
        Assert.Equal(["cpu-state.bin", "cpu-state-1.bin"], status.Areas.Select(a => a.File));
        Assert.True(File.Exists(_dir.File("cpu-state-1.bin")));
    }

    /// <summary>A resumed save keeps the copy it made before the cut: recorded at its length, not copied again.</summary>
    [Fact]
    public void Save_CopyAlreadyThere_KeptAsIs()
    {
        using var dump = Ppc64(TwoCpus());
        File.WriteAllBytes(_dir.File("cpu-state.bin"), [1, 2, 3]);
        var status = new SaveStatus();
        CaptureAreas.Save(dump, Map("CPU:0x8000-0x1000"), _dir.Path, status);
        Assert.Equal(new SavedArea(RegionKind.Cpu, CpuAt, 0x1000, "cpu-state.bin", 3, 0), Assert.Single(status.Areas));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(_dir.File("cpu-state.bin")));
    }

    [Fact]
    public void Save_NoMap_NothingSaved()
    {
        using var dump = Ppc64(TwoCpus());
        var status = new SaveStatus();
        CaptureAreas.Save(dump, null, _dir.Path, status);
        Assert.Empty(status.Areas);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.bin"));
    }

    [Fact]
    public void WithRegisterNotes_RegisterSaveArea_OnePrStatusPerCpu()
    {
        using var dump = Ppc64(TwoCpus());
        var status = new SaveStatus();
        CaptureAreas.Save(dump, Map(), _dir.Path, status);
        var messages = new StringWriter();
        var withNotes = CaptureAreas.WithRegisterNotes(dump, _dir.Path, status, messages);
        Assert.NotSame(dump, withNotes);
        Assert.Equal(2, status.CpuNotes);
        var notes = withNotes.Notes.PrStatus.ToList();
        Assert.Equal(2, notes.Count);
        var cpu1 = PrStatus.Decode(withNotes.Notes.Desc(notes[1]), Machine.Ppc64, ByteOrder.Big, true);
        Assert.Equal(0xc000000000005678UL, cpu1.Registers.Single(x => x.Name == "nip").Value);
        Assert.Equal("", messages.ToString());
    }

    [Fact]
    public void WithRegisterNotes_DumpHasItsOwn_DumpItself()
    {
        using var dump = Ppc64(TwoCpus(), ownPrStatus: true);
        var status = new SaveStatus();
        CaptureAreas.Save(dump, Map(), _dir.Path, status);
        Assert.Same(dump, CaptureAreas.WithRegisterNotes(dump, _dir.Path, status, new StringWriter()));
        Assert.Null(status.CpuNotes);
    }

    [Fact]
    public void WithRegisterNotes_NoCpuArea_DumpItself()
    {
        using var dump = Ppc64(TwoCpus());
        Assert.Same(dump, CaptureAreas.WithRegisterNotes(dump, _dir.Path, new SaveStatus(), new StringWriter()));
    }

    /// <summary>A CPU area without the firmware's magic is not a register save area: no notes, and nothing to report.</summary>
    [Fact]
    public void WithRegisterNotes_NoMagic_DumpItselfSilently()
    {
        using var dump = Ppc64(new byte[64]);
        var status = new SaveStatus();
        CaptureAreas.Save(dump, Map(), _dir.Path, status);
        var messages = new StringWriter();
        Assert.Same(dump, CaptureAreas.WithRegisterNotes(dump, _dir.Path, status, messages));
        Assert.Equal("", messages.ToString());
    }

    /// <summary>A damaged register save area costs the registers, not the save: one line says which file and why.</summary>
    [Fact]
    public void WithRegisterNotes_DamagedArea_ReportedAndDumpItself()
    {
        var regsave = TwoCpus();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(regsave.AsSpan(12), 0xfff0); // num_cpu_offset past the area
        using var dump = Ppc64(regsave);
        var status = new SaveStatus();
        CaptureAreas.Save(dump, Map(), _dir.Path, status);
        var messages = new StringWriter { NewLine = "\n" };
        Assert.Same(dump, CaptureAreas.WithRegisterNotes(dump, _dir.Path, status, messages));
        var line = messages.ToString();
        Assert.StartsWith("hvdump: cpu-state.bin: ", line);
        Assert.Contains("num_cpu_offset", line);
        Assert.EndsWith("; the dump has no CPU registers\n", line);
        Assert.Null(status.CpuNotes);
    }
}
