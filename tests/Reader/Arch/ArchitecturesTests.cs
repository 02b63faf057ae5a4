using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch;
using HvDumpKit.Reader.Elf;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers.Selection;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch;

/// <summary>The registry of machines: each found by its e_machine, and a machine not in it read page by page only.</summary>
public sealed class ArchitecturesTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static TheoryData<Machine> Registered() => [.. Architectures.All.Select(a => a.Machine)];

    [Theory]
    [MemberData(nameof(Registered))]
    public void For_EveryRegisteredMachine_RoundTripsItsEMachine(Machine m)
    {
        var arch = Architectures.For(m);
        Assert.NotNull(arch);
        Assert.Equal(m, arch.Machine);
        Assert.Single(Architectures.All, a => a.Machine == m);
    }

    [Theory]
    [MemberData(nameof(Registered))]
    public void Name_IsWhatUnameCallsTheMachine(Machine m) => Assert.Equal(m, MachineNames.FromUts(Architectures.For(m)!.Name));

    [Theory]
    [MemberData(nameof(Registered))]
    public void PrStatusLayout_HoldsItsRegistersAndProgramCounter(Machine m)
    {
        var layout = Architectures.For(m)!.PrStatus;
        Assert.Contains(layout.ProgramCounter, layout.RegisterNames);
        Assert.Equal(layout.RegisterNames.Count, layout.RegisterNames.Distinct().Count());
        // pr_reg and pr_fpvalid (with its padding) fit in the record.
        Assert.True(PrStatus.RegistersOffset + 8 * layout.RegisterNames.Count + 8 <= layout.Size);
    }

    [Theory]
    [InlineData(62, "x86_64", 4096, "rip")]
    [InlineData(21, "ppc64", 65536, "nip")]
    [InlineData(183, "aarch64", 4096, "pc")]
    public void For_TheMachinesWeRead(ushort eMachine, string name, int pageSize, string pc)
    {
        var arch = Architectures.For((Machine)eMachine);
        Assert.NotNull(arch);
        Assert.Equal((name, pageSize, pc), (arch.Name, arch.DefaultPageSize, arch.PrStatus.ProgramCounter));
        Assert.Equal(pageSize, ElfDumpSource.DefaultPageSize((Machine)eMachine));
    }

    [Theory]
    [InlineData(243)] // riscv64
    [InlineData(0)]
    [InlineData(0xbeef)]
    public void For_AMachineNotListed_IsNullAndPagesAre4KiB(ushort eMachine)
    {
        Assert.Null(Architectures.For((Machine)eMachine));
        Assert.Equal(4096, ElfDumpSource.DefaultPageSize((Machine)eMachine));
    }

    [Theory]
    [InlineData(62, new ulong[] { 12, 13, 14, 16, 17, 18, 19 }, null)]
    [InlineData(243, new ulong[] { }, "kernel virtual addresses of RiscV are not supported")]
    public void Filter_AMachineNotListed_KeepsEveryPage(ushort eMachine, ulong[] excluded, string? why)
    {
        var b = SyntheticKernel.Vmcore();
        b.Machine = eMachine;
        var path = b.WriteTo(_dir.File("s.elf"));
        using var inner = DumpProbe.Open(path);
        using var f = new FilteredDumpSource(DumpProbe.Open(path), 31);
        var kept = f.PresentRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count)).Select(x => (ulong)x).ToHashSet();
        var dropped = inner.PresentRanges().SelectMany(r => Enumerable.Range((int)r.Start, (int)r.Count)).Select(x => (ulong)x)
            .Where(p => !kept.Contains(p)).ToArray();
        Assert.Equal(excluded, dropped);
        Assert.Equal(why, f.NotClassifying);
        Assert.Equal(why is null, KernelAddressSpace.TryCreate(inner, out var reason) is not null);
        Assert.Equal(why, reason);
    }

    [Fact]
    public void Convert_AMachineNotListed_RefusesToFilterAndMakedumpfileKeepsEveryPage()
    {
        var b = SyntheticKernel.Vmcore();
        b.Machine = 243;
        var input = b.WriteTo(_dir.File("riscv64.elf"));
        var r = CliRunner.Run("convert", input, _dir.File("o.kdump"), "-d", "31");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot filter at dump level 31: kernel virtual addresses of RiscV are not supported", r.Stderr);
        Assert.False(File.Exists(_dir.File("o.kdump")));
        var m = CliRunner.Run("makedumpfile", "-d", "30", input, _dir.File("m.kdump"));
        Assert.Equal(0, m.ExitCode);
        using var written = DumpProbe.Open(_dir.File("m.kdump"));
        using var inner = DumpProbe.Open(input);
        Assert.Equal(inner.PresentRanges(), written.PresentRanges());
    }

    [Theory]
    [InlineData(62, "rip=0x00000000000000aa", 27)]
    [InlineData(183, "pc=0x00000000000000aa", 34)]
    [InlineData(243, null, 0)]
    public void PrStatusDecode_RegistersOnlyForAListedMachine(ushort eMachine, string? ip, int registers)
    {
        var b = new ElfCoreBuilder { Machine = eMachine }.PrStatus(42, 0xaa);
        var set = NoteSet.Parse(b.NoteBlob(), ByteOrder.Little, 0, DumpLimits.Default);
        var pr = PrStatus.Decode(set.Desc(set.PrStatus.Single()), (Machine)eMachine, ByteOrder.Little, true);
        Assert.Equal(42, pr.Pid);
        Assert.Equal(registers, pr.Registers.Count);
        Assert.Equal(ip, pr.InstructionPointer);
    }
}
