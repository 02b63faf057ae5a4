using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.Reader.Arch.Ppc64;
using Xunit;

namespace HvDumpKit.Tests.Cli.Verbs;

/// <summary>`hvdump save` on synthetic dumps: the CPU and HPTE areas and the register save area.</summary>
public sealed class SaveVerbTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// A big-endian ppc64 dump without PRSTATUS notes whose CPU area holds a firmware register save
    /// area: the saved dump gets one PRSTATUS per CPU carrying the saved NIA, MSR and GPRs, and the
    /// CPU and HPTE areas are copied byte for byte.
    /// </summary>
    [Fact]
    public void CpuAreaWithRegsave_PrStatusNotesInTheOutput_AreasCopied()
    {
        var regsave = RegisterSaveAreaTests.Build((0, 0xc000000000001234, 0x8000000000001033), (1, 0xc000000000005678, 0x8000000000009033));
        var memory = new byte[1 << 20];
        new Random(5).NextBytes(memory.AsSpan(0, 0x40000));
        regsave.CopyTo(memory, 0x80000);
        for (int i = 0; i < 4096; i++) memory[0x90000 + i] = (byte)(i * 7);
        var vmcore = new ElfCoreBuilder { Machine = 21, Order = ByteOrder.Big }
            .VmcoreInfo("OSRELEASE=6.1.0-test\nPAGESIZE=4096\n")
            .AddLoad(0, memory).WriteTo(_dir.File("ppc64.vmcore"));
        var map = _dir.File("map");
        File.WriteAllText(map, "CPU:0x80000-0x1000: HPTE:0x90000-0x1000: DUMP:0x0-0x40000, 0x40000-0xC0000\n");
        var target = _dir.File("out");
        Directory.CreateDirectory(target);
        var r = CliRunner.Run("save", "--vmcore", vmcore, "--region-map", map, "--no-release", "--compress", "zlib", "--dump-level", "0", target);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var dir = Directory.GetDirectories(target).Single();
        Assert.Equal(regsave.AsSpan().ToArray(), File.ReadAllBytes(Path.Combine(dir, "cpu-state.bin")).AsSpan(0, regsave.Length).ToArray());
        Assert.Equal(memory.AsSpan(0x90000, 4096).ToArray(), File.ReadAllBytes(Path.Combine(dir, "hpte.bin")));
        using (var status = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "status.json"))))
            Assert.Equal(2, status.RootElement.GetProperty("prstatus_from_cpu_area").GetInt32());

        using var saved = DumpProbe.Open(Path.Combine(dir, "vmcore"));
        var notes = saved.Notes.PrStatus.ToList();
        Assert.Equal(2, notes.Count);
        var cpu1 = PrStatus.Decode(saved.Notes.Desc(notes[1]), Machine.Ppc64, ByteOrder.Big, true);
        Assert.Equal(0xc000000000005678UL, cpu1.Registers.Single(x => x.Name == "nip").Value);
        Assert.Equal(0x8000000000009033UL, cpu1.Registers.Single(x => x.Name == "msr").Value);
        Assert.Equal(0x1007UL, cpu1.Registers.Single(x => x.Name == "gpr7").Value);
        Assert.NotNull(saved.VmcoreInfo);
    }

    [Fact]
    public void VmcoreWithPrStatus_KeepsItsOwnNotes()
    {
        var memory = new byte[1 << 20];
        RegisterSaveAreaTests.Build((0, 1, 2)).CopyTo(memory, 0x80000);
        var vmcore = new ElfCoreBuilder { Machine = 21, Order = ByteOrder.Big }.PrStatus(42, 0xc0000000000000aa)
            .VmcoreInfo("OSRELEASE=6.1.0-test\nPAGESIZE=4096\n").AddLoad(0, memory).WriteTo(_dir.File("own.vmcore"));
        var map = _dir.File("map");
        File.WriteAllText(map, "CPU:0x80000-0x1000: DUMP:0x0-0x40000, 0x40000-0xC0000\n");
        var target = _dir.File("out");
        Directory.CreateDirectory(target);
        Assert.Equal(0, CliRunner.Run("save", "--vmcore", vmcore, "--region-map", map, "--no-release", "--dump-level", "0", target).ExitCode);
        using var saved = DumpProbe.Open(Path.Combine(Directory.GetDirectories(target).Single(), "vmcore"));
        var only = Assert.Single(saved.Notes.PrStatus.ToList());
        Assert.Equal(42, PrStatus.Decode(saved.Notes.Desc(only), Machine.Ppc64, ByteOrder.Big, true).Pid);
    }
}
