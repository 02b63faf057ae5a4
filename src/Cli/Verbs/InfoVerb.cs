using System.Globalization;
using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.Elf;
using HvDumpKit.Reader.Flattened;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Regions;

namespace HvDumpKit.Cli.Verbs;

/// <summary>`hvdump info DUMP [--region-map FILE] [--json]`.</summary>
public static class InfoVerb
{
    public static int Run(InfoOptions o, TextWriter stdout, TextWriter stderr)
    {
        using var keys = AgeKeyring.Use(o.Identity); // an age-encrypted DUMP opens with these
        using var src = DumpProbe.Open(o.Dump, vmcoreInfo: VmcoreInfoFile.LoadOptional(o.VmcoreInfo));
        RegionMap? map = o.RegionMap is null ? null : RegionMap.ParseFile(o.RegionMap);
        if (o.Json) WriteJson(src, map, stdout);
        else WriteText(src, map, stdout);
        return ExitCodes.Ok;
    }

    private static string FormatName(IDumpSource s) => s switch
    {
        ElfDumpSource e => $"ELF vmcore (ELF{(e.Header.Is64Bit ? "64" : "32")})",
        KdumpDumpSource k when k.Format == DumpFormat.Flattened => $"flattened kdump-compressed (header_version {k.Kdump.HeaderVersion})",
        KdumpDumpSource k => $"kdump-compressed (header_version {k.Kdump.HeaderVersion})",
        _ => "raw physical-memory image",
    };

    private static string Order(ByteOrder o) => o == ByteOrder.Big ? "big-endian" : "little-endian";

    private static string CrashTime(long? t) => t is long v
        ? DateTimeOffset.FromUnixTimeSeconds(v).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
        : "unknown";

    private static List<PrStatus> Cpus(IDumpSource s) =>
        s.Notes.PrStatus.Select(n => PrStatus.Decode(s.Notes.Desc(n), s.Header.Machine, s.Header.ByteOrder, s.Header.Is64Bit)).ToList();

    private static void WriteText(IDumpSource s, RegionMap? map, TextWriter w)
    {
        var h = s.Header;
        var vi = s.VmcoreInfo;
        w.WriteLine($"file:         {s.Path}");
        w.WriteLine($"format:       {FormatName(s)}");
        w.WriteLine($"arch:         {MachineNames.UtsMachine(h.Machine, h.ByteOrder)} (e_machine {(ushort)h.Machine})");
        w.WriteLine($"byte order:   {Order(h.ByteOrder)}");
        w.WriteLine($"page size:    {h.PageSize}");
        w.WriteLine($"kernel:       {vi?.OsRelease ?? (s as KdumpDumpSource)?.Kdump.Release ?? "unknown"}");
        w.WriteLine($"crash time:   {CrashTime(vi?.CrashTime ?? (s as KdumpDumpSource)?.Kdump.TimestampSec)}");
        var cpus = Cpus(s);
        w.WriteLine($"CPUs:         {cpus.Count} (NT_PRSTATUS)");
        for (int i = 0; i < cpus.Count; i++)
            w.WriteLine($"  cpu{i}: pid {cpus[i].Pid}{(cpus[i].InstructionPointer is { } ip ? " " + ip : "")}");
        w.WriteLine($"max PFN:      {s.MaxPfn}");
        ulong ram = s.RamRanges().Aggregate(0UL, (a, r) => a + r.Count);
        ulong present = s.PresentRanges().Aggregate(0UL, (a, r) => a + r.Count);
        w.WriteLine($"pages:        {ram} RAM, {present} present, {ram - present} excluded");
        if (s.DumpLevel != 0) w.WriteLine($"dump level:   {s.DumpLevel}");
        if (s is KdumpDumpSource k)
        {
            w.WriteLine($"compression:  {Reader.Codecs.PageCodecs.Name(k.Kdump.Compression)}{(k.Kdump.Incomplete ? " (INCOMPLETE)" : "")}");
            w.WriteLine($"utsname:      {k.Kdump.Sysname} {k.Kdump.Nodename} {k.Kdump.Release} {k.Kdump.Machine}");
            w.WriteLine($"phys_base:    0x{k.Kdump.PhysBase:x}");
            w.WriteLine($"nr_cpus:      {k.Kdump.NrCpus}");
            if (k.Kdump.Split) w.WriteLine($"split:        PFN {k.Kdump.StartPfn}–{k.Kdump.EndPfn}");
        }
        if (s is ElfDumpSource e)
        {
            w.WriteLine($"e_phoff:      {e.ElfHeader.PhOff}{(e.ElfHeader.UsesPnXnum ? " (PN_XNUM)" : "")}");
            var loads = e.ProgramHeaders.Where(p => p.IsLoad).ToList();
            w.WriteLine($"segments:     {e.ProgramHeaders.Count(p => p.IsNote)} PT_NOTE, {loads.Count} PT_LOAD");
            w.WriteLine("  type      paddr              memsz              offset             filesz             vaddr");
            foreach (var p in e.ProgramHeaders)
            {
                string type = p.IsLoad ? "PT_LOAD" : p.IsNote ? "PT_NOTE" : $"0x{p.Type:x}";
                w.WriteLine($"  {type,-8}  0x{p.PhysicalAddress:x16} 0x{p.MemorySize:x16} 0x{p.FileOffset:x16} 0x{p.FileSize:x16} 0x{p.VirtualAddress:x16}");
            }
        }
        w.WriteLine($"notes:        {s.Notes.Notes.Count}");
        foreach (var n in s.Notes.Notes)
            w.WriteLine($"  {n.Name,-11} {n.TypeName,-15} {n.DescSize} bytes");
        if (vi is not null)
        {
            w.WriteLine($"VMCOREINFO:   {vi.Count} entries");
            foreach (var key in new[] { "OSRELEASE", "BUILD-ID", "PAGESIZE", "KERNELOFFSET", "CRASHTIME" })
                if (vi[key] is { } v) w.WriteLine($"  {key,-22} {v}");
            foreach (var key in new[] { "NUMBER(phys_base)", "NUMBER(pgtable_l5_enabled)", "SYMBOL(init_uts_ns)", "SYMBOL(swapper_pg_dir)", "SYMBOL(init_top_pgt)", "SYMBOL(mem_section)", "SYMBOL(prb)" })
                if (vi[key] is { } v) w.WriteLine($"  {key,-22} {v}");
            w.WriteLine($"  {vi.Symbols.Count()} SYMBOL(), {vi.Entries.Count(x => x.Key.StartsWith("OFFSET(", StringComparison.Ordinal))} OFFSET(), {vi.Entries.Count(x => x.Key.StartsWith("NUMBER(", StringComparison.Ordinal))} NUMBER()");
        }
        else w.WriteLine("VMCOREINFO:   none");
        if (map is not null)
        {
            w.WriteLine($"regions:      {map.Regions.Count} ({map.Format})");
            foreach (var r in map.Regions)
            {
                w.WriteLine($"  {r.Label,-5} addr 0x{r.Address:x} size 0x{r.Size:x}{(r.SourceAddress != r.Address ? $" (copy of physical 0x{r.SourceAddress:x})" : "")}");
                foreach (var x in RegionRelation.Relate(r, s))
                    w.WriteLine($"        physical 0x{x.PhysStart:x}+0x{x.Length:x} {(x.FileOffset is ulong f ? $"at file offset 0x{f:x}" : s is ElfDumpSource ? "not in the dump" : "present in the dump")}");
            }
            foreach (var warn in map.Warnings) w.WriteLine($"  warning: {warn}");
        }
        var log = KernelLog.Read(s);
        if (log.Records.Count > 0)
        {
            w.WriteLine($"kernel log:   {log.Records.Count} records ({log.Format}); last lines:");
            foreach (var r in log.Records.TakeLast(5)) w.WriteLine("  " + r.Format(false).Replace("\n", "\n  "));
        }
        else w.WriteLine($"kernel log:   none ({string.Join("; ", log.Warnings)})");
        foreach (var warn in s.Warnings) w.WriteLine($"warning:      {warn}");
    }

    private static void WriteJson(IDumpSource s, RegionMap? map, TextWriter tw)
    {
        var h = s.Header;
        var vi = s.VmcoreInfo;
        tw.Write(JsonText.Object(w =>
        {
        w.WriteString("file", s.Path);
        w.WriteString("format", h.Format switch { DumpFormat.Elf => "elf", DumpFormat.Kdump => "kdump", DumpFormat.Flattened => "flattened", _ => "raw" });
        w.WriteString("arch", MachineNames.UtsMachine(h.Machine, h.ByteOrder));
        w.WriteNumber("e_machine", (ushort)h.Machine);
        w.WriteString("byte_order", h.ByteOrder == ByteOrder.Big ? "big" : "little");
        w.WriteBoolean("is_64bit", h.Is64Bit);
        w.WriteNumber("page_size", h.PageSize);
        w.WriteString("kernel_release", vi?.OsRelease ?? (s as KdumpDumpSource)?.Kdump.Release);
        if ((vi?.CrashTime ?? (s as KdumpDumpSource)?.Kdump.TimestampSec) is long ct) w.WriteNumber("crash_time", ct); else w.WriteNull("crash_time");
        var cpus = Cpus(s);
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
        w.WriteNumber("max_pfn", s.MaxPfn);
        w.WriteNumber("pages_ram", s.RamRanges().Aggregate(0UL, (a, r) => a + r.Count));
        w.WriteNumber("pages_present", s.PresentRanges().Aggregate(0UL, (a, r) => a + r.Count));
        w.WriteNumber("dump_level", s.DumpLevel);
        if (s is ElfDumpSource e)
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
        if (s is KdumpDumpSource k)
        {
            w.WriteStartObject("kdump");
            w.WriteNumber("header_version", k.Kdump.HeaderVersion);
            w.WriteString("compression", Reader.Codecs.PageCodecs.Name(k.Kdump.Compression));
            w.WriteBoolean("incomplete", k.Kdump.Incomplete);
            w.WriteString("phys_base", $"0x{k.Kdump.PhysBase:x}");
            w.WriteNumber("nr_cpus", k.Kdump.NrCpus);
            w.WriteString("utsname_release", k.Kdump.Release);
            w.WriteString("utsname_machine", k.Kdump.Machine);
            w.WriteEndObject();
        }
        w.WriteStartArray("notes");
        foreach (var n in s.Notes.Notes)
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
        if (map is not null)
        {
            w.WriteStartObject("region_map");
            w.WriteString("format", map.Format);
            w.WriteStartArray("regions");
            foreach (var r in map.Regions)
            {
                w.WriteStartObject();
                w.WriteString("kind", r.Label);
                w.WriteString("address", $"0x{r.Address:x}");
                w.WriteString("size", $"0x{r.Size:x}");
                w.WriteString("source_address", $"0x{r.SourceAddress:x}");
                w.WriteStartArray("extents");
                foreach (var x in RegionRelation.Relate(r, s))
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
        foreach (var x in s.Warnings) w.WriteStringValue(x);
        w.WriteEndArray();
        }));
    }
}
