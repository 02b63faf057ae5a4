using System.Buffers.Binary;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Ppc64;
using Xunit;

namespace HvDumpKit.Tests.Reader.Arch.Ppc64;

public sealed class RegisterSaveAreaTests
{
    /// <summary>A firmware register save area: header, CPU count at num_cpu_offset, per CPU CPUSTRT … CPUEND.</summary>
    public static byte[] Build(params (uint Cpu, ulong Nia, ulong Msr)[] cpus)
    {
        var entries = new List<(string, ulong)>();
        foreach (var (cpu, nia, msr) in cpus)
        {
            entries.Add(("CPUSTRT", cpu));
            for (int g = 0; g < 32; g++) entries.Add(($"GPR{g:D2}", 0x1000UL * cpu + (ulong)g));
            entries.AddRange([("NIA", nia), ("MSR", msr), ("LR", 0xc0000000000abcdeUL), ("CR", 0x22004488), ("SRR0", 0xdead), ("CPUEND", 0)]);
        }
        var area = new byte[24 + 4 + 16 * entries.Count];
        BinaryPrimitives.WriteUInt64BigEndian(area, RegisterSaveArea.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(12), 24); // num_cpu_offset past a gap, as firmware may leave
        BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(24), (uint)cpus.Length);
        for (int i = 0; i < entries.Count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(area.AsSpan(28 + 16 * i), RegisterSaveArea.Id(entries[i].Item1));
            BinaryPrimitives.WriteUInt64BigEndian(area.AsSpan(36 + 16 * i), entries[i].Item2);
        }
        return area;
    }

    [Fact]
    public void Parse_TwoCpus_NiaMsrGprsByPtRegsName()
    {
        var cpus = RegisterSaveArea.Parse(Build((0, 0xc000000000001234, 0x8000000000001033), (3, 0xc000000000005678, 0x8000000000009033)));
        Assert.Equal(2, cpus.Count);
        Assert.Equal(3u, cpus[1].CpuId);
        Assert.Equal(0xc000000000005678UL, cpus[1].Registers["nip"]);
        Assert.Equal(0x8000000000009033UL, cpus[1].Registers["msr"]);
        Assert.Equal(0x3005UL, cpus[1].Registers["gpr5"]);
        Assert.Equal(0x301FUL, cpus[1].Registers["gpr31"]);
        Assert.Equal(0xc0000000000abcdeUL, cpus[0].Registers["link"]);
        Assert.Equal(0x22004488UL, cpus[0].Registers["ccr"]);
        Assert.False(cpus[0].Registers.ContainsKey("SRR0"));
    }

    [Fact]
    public void Id_PacksLeftJustifiedBigEndian() => Assert.Equal(0x4750523035000000UL, RegisterSaveArea.Id("GPR05"));

    [Theory]
    [InlineData("magic")]
    [InlineData("offset")]
    [InlineData("count")]
    [InlineData("noend")]
    [InlineData("nostart")]
    public void Malformed_OneFormatErrorNamingTheField(string how)
    {
        var area = Build((0, 1, 2));
        string field;
        switch (how)
        {
            case "magic": area[0] ^= 1; field = "magic_number"; break;
            case "offset": BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(12), 0xFFFFFF00); field = "num_cpu_offset"; break;
            case "count": BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(24), 0x7FFFFFFF); field = "num_cpus"; break;
            case "noend": area = area[..^16]; field = "reg_entry"; break;
            default: BinaryPrimitives.WriteUInt64BigEndian(area.AsSpan(28), RegisterSaveArea.Id("GPR00")); field = "reg_id"; break;
        }
        var ex = Assert.Throws<DumpFormatException>(() => RegisterSaveArea.Parse(area, 0x177fee000));
        Assert.Contains(field, ex.FieldName);
        Assert.True(ex.Offset >= 0x177fee000);
    }
}
