using System.Text.Json;
using HvDumpKit.Cli.Output;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Analysis;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli.Output;

/// <summary>`hvdump info --json` for dumps built here: the fields each part of a DumpDescription turns into.</summary>
public sealed class DescriptionJsonTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static JsonElement Json(string path, RegionMap? map = null)
    {
        using var s = DumpProbe.Open(path);
        var w = new StringWriter();
        DescriptionJson.Write(DumpDescription.Of(s, map), w);
        return JsonDocument.Parse(w.ToString()).RootElement.Clone();
    }

    [Fact]
    public void Write_SyntheticKernel_HeaderCpusSegmentsAndVmcoreInfo()
    {
        var j = Json(SyntheticKernel.Vmcore().WriteTo(_dir.File("v.elf")));
        Assert.Equal("elf", j.GetProperty("format").GetString());
        Assert.Equal("x86_64", j.GetProperty("arch").GetString());
        Assert.Equal(62, j.GetProperty("e_machine").GetInt32());
        Assert.Equal("little", j.GetProperty("byte_order").GetString());
        Assert.True(j.GetProperty("is_64bit").GetBoolean());
        Assert.Equal("6.1.0-test", j.GetProperty("kernel_release").GetString());
        Assert.Equal(1700000000, j.GetProperty("crash_time").GetInt64());
        Assert.Equal(1, j.GetProperty("cpus").GetInt32());
        Assert.Equal(1234, j.GetProperty("prstatus")[0].GetProperty("pid").GetInt32());
        Assert.Equal(48UL, j.GetProperty("pages_ram").GetUInt64());
        Assert.Equal(2, j.GetProperty("pt_load_count").GetInt32());
        Assert.Equal(1, j.GetProperty("pt_note_count").GetInt32());
        var load = j.GetProperty("segments")[2];
        Assert.Equal("PT_LOAD", load.GetProperty("type").GetString());
        Assert.Equal(48UL * 4096, load.GetProperty("paddr").GetUInt64());
        Assert.Equal(SyntheticKernel.Kv(48 * 4096), load.GetProperty("vaddr").GetUInt64());
        Assert.Equal("6.1.0-test", j.GetProperty("vmcoreinfo").GetProperty("OSRELEASE").GetString());
        Assert.Equal(["CORE", "VMCOREINFO"], j.GetProperty("notes").EnumerateArray().Select(n => n.GetProperty("name").GetString()));
        Assert.False(j.TryGetProperty("kdump", out _));
        Assert.False(j.TryGetProperty("region_map", out _));
    }

    [Fact]
    public void Write_NoVmcoreInfo_NullsNotMissingFields()
    {
        var j = Json(DescriptionTextTests.Bare(_dir));
        Assert.Equal(JsonValueKind.Null, j.GetProperty("vmcoreinfo").ValueKind);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("crash_time").ValueKind);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("kernel_release").ValueKind);
        Assert.Equal("0xffffffff81000010", j.GetProperty("prstatus")[0].GetProperty("registers").GetProperty("rip").GetString());
    }

    [Fact]
    public void Write_Kdump_HeaderObject()
    {
        var j = Json(Samples.Kdump);
        Assert.Equal("kdump", j.GetProperty("format").GetString());
        Assert.Equal(1, j.GetProperty("dump_level").GetInt32());
        var kd = j.GetProperty("kdump");
        Assert.Equal(6, kd.GetProperty("header_version").GetInt32());
        Assert.Equal("zstd", kd.GetProperty("compression").GetString());
        Assert.False(kd.GetProperty("incomplete").GetBoolean());
        Assert.Equal("0x0", kd.GetProperty("phys_base").GetString());
        Assert.Equal("6.1.0-test", kd.GetProperty("utsname_release").GetString());
        Assert.False(j.TryGetProperty("segments", out _));
    }

    [Fact]
    public void Write_RegionMap_RegionsWithExtentsAndFileOffsets()
    {
        var map = RegionMap.ParseReleaseRegion("CPU:0x1000-0x1000: HPTE:0x4000-0x1000");
        var rm = Json(DescriptionTextTests.Bare(_dir), map).GetProperty("region_map");
        Assert.Equal("release_region", rm.GetProperty("format").GetString());
        Assert.False(rm.TryGetProperty("other_lines", out _)); // fadump_region's only
        var cpu = rm.GetProperty("regions")[0];
        Assert.Equal("CPU", cpu.GetProperty("kind").GetString());
        Assert.Equal("0x1000", cpu.GetProperty("address").GetString());
        Assert.Equal("0x2000", cpu.GetProperty("extents")[0].GetProperty("file_offset").GetString());
        var hpte = rm.GetProperty("regions")[1].GetProperty("extents")[0];
        Assert.Equal("0x4000", hpte.GetProperty("physical").GetString());
        Assert.Equal(JsonValueKind.Null, hpte.GetProperty("file_offset").ValueKind);
    }
}
