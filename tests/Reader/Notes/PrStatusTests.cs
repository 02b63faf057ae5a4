using HvDumpKit.Reader;
using HvDumpKit.Reader.Notes;
using Xunit;

namespace HvDumpKit.Tests.Reader.Notes;

/// <summary>struct elf_prstatus decoded by the machine's layout.</summary>
public sealed class PrStatusTests
{
    [Fact]
    public void PrStatus_DecodesX86AndPpc64Layouts()
    {
        var x = new byte[336];
        Endian.W32(x.AsSpan(32), 77, ByteOrder.Little);
        Endian.W64(x.AsSpan(112 + 16 * 8), 0xffffffff81000000UL, ByteOrder.Little);
        var p = PrStatus.Decode(x, Machine.X86_64, ByteOrder.Little, true);
        Assert.Equal(77, p.Pid);
        Assert.Equal(27, p.Registers.Count);
        Assert.Equal(("rip", 0xffffffff81000000UL), p.Registers[16]);
        var y = new byte[504];
        Endian.W64(y.AsSpan(112 + 32 * 8), 0xc000000000001234UL, ByteOrder.Big);
        var q = PrStatus.Decode(y, Machine.Ppc64, ByteOrder.Big, true);
        Assert.Equal(("nip", 0xc000000000001234UL), q.Registers[32]);
    }

    [Fact]
    public void InstructionPointer_NamesTheProgramCounter()
    {
        var x = new byte[336];
        Endian.W64(x.AsSpan(112 + 16 * 8), 0xffffffff81000abcUL, ByteOrder.Little);
        Assert.Equal("rip=0xffffffff81000abc", PrStatus.Decode(x, Machine.X86_64, ByteOrder.Little, true).InstructionPointer);
    }

    [Fact]
    public void Decode_UnknownMachine_PidButNoRegisters()
    {
        var x = new byte[336];
        Endian.W32(x.AsSpan(32), 4242, ByteOrder.Big);
        var p = PrStatus.Decode(x, Machine.S390, ByteOrder.Big, true);
        Assert.Equal(4242, p.Pid);
        Assert.Empty(p.Registers);
        Assert.Null(p.ProgramCounter);
        Assert.Null(p.InstructionPointer);
    }

    [Fact]
    public void Decode_ShortDesc_RegistersUpToItsEnd()
    {
        var x = new byte[112 + 3 * 8 + 4]; // r15, r14, r13 and half of r12
        Endian.W64(x.AsSpan(112 + 2 * 8), 13, ByteOrder.Little);
        var p = PrStatus.Decode(x, Machine.X86_64, ByteOrder.Little, true);
        Assert.Equal([("r15", 0UL), ("r14", 0UL), ("r13", 13UL)], p.Registers);
        Assert.Null(p.InstructionPointer); // rip not reached
    }

    [Fact]
    public void Decode_32Bit_PidAtOffset24()
    {
        var x = new byte[148];
        Endian.W32(x.AsSpan(24), 99, ByteOrder.Little);
        var p = PrStatus.Decode(x, Machine.I386, ByteOrder.Little, false);
        Assert.Equal(99, p.Pid);
        Assert.Empty(p.Registers);
        Assert.Equal(0, PrStatus.Decode(new byte[20], Machine.I386, ByteOrder.Little, false).Pid);
    }
}
