using HvDumpKit.Reader;
using HvDumpKit.Reader.Analysis;
using HvDumpKit.Reader.Regions;

namespace HvDumpKit.Cli.Output;

/// <summary>`hvdump info --json`: the same DumpDescription as one JSON object.</summary>
public static class DescriptionJson
{
    public static void Write(DumpDescription d, TextWriter tw)
    {
        var vi = d.VmcoreInfo;
        tw.Write(JsonText.Object(w =>
        {
            w.WriteString("file", d.File);
            w.WriteString("format", d.Format switch
            {
                DumpFormat.Elf => "elf",
                DumpFormat.Kdump => "kdump",
                DumpFormat.Flattened => "flattened",
                _ => "raw"
            });
            w.WriteString("arch", d.Arch);
            w.WriteNumber("e_machine", (ushort)d.Machine);
            w.WriteString("byte_order", d.ByteOrder == ByteOrder.Big ? "big" : "little");
            w.WriteBoolean("is_64bit", d.Is64Bit);
            w.WriteNumber("page_size", d.PageSize);
            w.WriteString("kernel_release", d.KernelRelease);
            if (d.CrashTime is long ct) w.WriteNumber("crash_time", ct); else w.WriteNull("crash_time");
            var cpus = d.Cpus;
            w.WriteNumber("cpus", cpus.Count);
            w.WriteStartArray("prstatus");
            foreach (var c in cpus)
            {
                w.WriteStartObject();
                w.WriteNumber("pid", c.Pid);
                w.WriteStartObject("registers");
                foreach (var (name, value) in c.Registers) w.WriteString(name, $"0x{value:x}");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("max_pfn", d.MaxPfn);
            w.WriteNumber("pages_ram", d.PagesRam);
            w.WriteNumber("pages_present", d.PagesPresent);
            w.WriteNumber("dump_level", d.DumpLevel);
            if (d.Elf is { } e)
            {
                w.WriteNumber("pt_load_count", e.ProgramHeaders.Count(p => p.IsLoad));
                w.WriteNumber("pt_note_count", e.ProgramHeaders.Count(p => p.IsNote));
                w.WriteStartArray("segments");
                foreach (var p in e.ProgramHeaders)
                {
                    w.WriteStartObject();
                    w.WriteString("type", p.IsLoad ? "PT_LOAD" : p.IsNote ? "PT_NOTE" : $"0x{p.Type:x}");
                    w.WriteNumber("paddr", p.PhysicalAddress);
                    w.WriteNumber("vaddr", p.VirtualAddress);
                    w.WriteNumber("offset", p.FileOffset);
                    w.WriteNumber("filesz", p.FileSize);
                    w.WriteNumber("memsz", p.MemorySize);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (d.Kdump is { } kd)
            {
                w.WriteStartObject("kdump");
                w.WriteNumber("header_version", kd.HeaderVersion);
                w.WriteString("compression", Reader.Codecs.PageCodecs.Name(kd.Compression));
                w.WriteBoolean("incomplete", kd.Incomplete);
                w.WriteString("phys_base", $"0x{kd.PhysBase:x}");
                w.WriteNumber("nr_cpus", kd.NrCpus);
                w.WriteString("utsname_release", kd.Release);
                w.WriteString("utsname_machine", kd.Machine);
                w.WriteEndObject();
            }
            w.WriteStartArray("notes");
            foreach (var n in d.Notes)
            {
                w.WriteStartObject();
                w.WriteString("name", n.Name);
                w.WriteNumber("type", n.Type);
                w.WriteString("type_name", n.TypeName);
                w.WriteNumber("size", n.DescSize);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (vi is not null)
            {
                w.WriteStartObject("vmcoreinfo");
                foreach (var kv in vi.Entries) w.WriteString(kv.Key, kv.Value);
                w.WriteEndObject();
            }
            else w.WriteNull("vmcoreinfo");
            if (d.RegionMap is { } map)
            {
                w.WriteStartObject("region_map");
                w.WriteString("format", map.Format);
                if (map.DumpActive is bool active) w.WriteBoolean("dump_active", active);
                if (map.ReservedAbove is ulong above) w.WriteString("reserved_above", $"0x{above:x}");
                if (map.ParamArea is { } pa)
                {
                    w.WriteStartObject("param_area");
                    w.WriteString("address", $"0x{pa.Address:x}");
                    w.WriteString("size", $"0x{pa.Size:x}");
                    w.WriteString("cmdline_append", pa.CmdlineAppend);
                    w.WriteEndObject();
                }
                if (map.Format == RegionMap.FadumpFormat)
                {
                    w.WriteStartArray("other_lines");
                    foreach (var line in map.OtherLines)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("line", line.Line);
                        w.WriteString("text", line.Text);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                w.WriteStartArray("regions");
                foreach (var (r, extents) in d.Regions)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", r.Label);
                    w.WriteString("address", $"0x{r.Address:x}");
                    w.WriteString("size", $"0x{r.Size:x}");
                    w.WriteString("source_address", $"0x{r.SourceAddress:x}");
                    if (r.Dumped is ulong dumped) w.WriteString("dumped", $"0x{dumped:x}");
                    if (r.Line > 0) w.WriteNumber("line", r.Line);
                    w.WriteStartArray("extents");
                    foreach (var x in extents)
                    {
                        w.WriteStartObject();
                        w.WriteString("physical", $"0x{x.PhysStart:x}");
                        w.WriteString("length", $"0x{x.Length:x}");
                        if (x.FileOffset is ulong f) w.WriteString("file_offset", $"0x{f:x}"); else w.WriteNull("file_offset");
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("warnings");
                foreach (var x in map.Warnings) w.WriteStringValue(x);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteStartArray("warnings");
            foreach (var x in d.Warnings) w.WriteStringValue(x);
            w.WriteEndArray();
        }));
    }
}
