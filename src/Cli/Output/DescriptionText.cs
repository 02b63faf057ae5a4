using System.Globalization;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Analysis;
using HvDumpKit.Reader.Regions;

namespace HvDumpKit.Cli.Output;

/// <summary>`hvdump info`'s text: a DumpDescription as aligned label: value lines (the .expect files pin it).</summary>
public static class DescriptionText
{
    private static string Order(ByteOrder o) => o == ByteOrder.Big ? "big-endian" : "little-endian";

    private static string CrashTime(long? t) => t is long v
        ? DateTimeOffset.FromUnixTimeSeconds(v).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
        : "unknown";

    public static void Write(DumpDescription d, TextWriter w)
    {
        var vi = d.VmcoreInfo;
        w.WriteLine($"file:         {d.File}");
        w.WriteLine($"format:       {d.FormatName}");
        w.WriteLine($"arch:         {d.Arch} (e_machine {(ushort)d.Machine})");
        w.WriteLine($"byte order:   {Order(d.ByteOrder)}");
        w.WriteLine($"page size:    {d.PageSize}");
        w.WriteLine($"kernel:       {d.KernelRelease ?? "unknown"}");
        w.WriteLine($"crash time:   {CrashTime(d.CrashTime)}");
        var cpus = d.Cpus;
        w.WriteLine($"CPUs:         {cpus.Count} (NT_PRSTATUS)");
        for (int i = 0; i < cpus.Count; i++)
            w.WriteLine($"  cpu{i}: pid {cpus[i].Pid}{(cpus[i].InstructionPointer is { } ip ? " " + ip : "")}");
        w.WriteLine($"max PFN:      {d.MaxPfn}");
        ulong ram = d.PagesRam, present = d.PagesPresent;
        w.WriteLine($"pages:        {ram} RAM, {present} present, {ram - present} excluded");
        if (d.DumpLevel != 0) w.WriteLine($"dump level:   {d.DumpLevel}");
        if (d.Kdump is { } kd)
        {
            w.WriteLine($"compression:  {Reader.Codecs.PageCodecs.Name(kd.Compression)}{(kd.Incomplete ? " (INCOMPLETE)" : "")}");
            w.WriteLine($"utsname:      {kd.Sysname} {kd.Nodename} {kd.Release} {kd.Machine}");
            w.WriteLine($"phys_base:    0x{kd.PhysBase:x}");
            w.WriteLine($"nr_cpus:      {kd.NrCpus}");
            if (kd.Split) w.WriteLine($"split:        PFN {kd.StartPfn}–{kd.EndPfn}");
        }
        if (d.Elf is { } e)
        {
            w.WriteLine($"e_phoff:      {e.Header.PhOff}{(e.Header.UsesPnXnum ? " (PN_XNUM)" : "")}");
            var loads = e.ProgramHeaders.Where(p => p.IsLoad).ToList();
            w.WriteLine($"segments:     {e.ProgramHeaders.Count(p => p.IsNote)} PT_NOTE, {loads.Count} PT_LOAD");
            w.WriteLine("  type      paddr              memsz              offset             filesz             vaddr");
            foreach (var p in e.ProgramHeaders)
            {
                string type = p.IsLoad ? "PT_LOAD" : p.IsNote ? "PT_NOTE" : $"0x{p.Type:x}";
                w.WriteLine($"  {type,-8}  0x{p.PhysicalAddress:x16} 0x{p.MemorySize:x16} 0x{p.FileOffset:x16} 0x{p.FileSize:x16} " +
                    $"0x{p.VirtualAddress:x16}");
            }
        }
        w.WriteLine($"notes:        {d.Notes.Count}");
        foreach (var n in d.Notes)
            w.WriteLine($"  {n.Name,-11} {n.TypeName,-15} {n.DescSize} bytes");
        if (vi is not null)
        {
            w.WriteLine($"VMCOREINFO:   {vi.Count} entries");
            foreach (var key in new[] { "OSRELEASE", "BUILD-ID", "PAGESIZE", "KERNELOFFSET", "CRASHTIME" })
                if (vi[key] is { } v) w.WriteLine($"  {key,-22} {v}");
            foreach (var key in new[] { "NUMBER(phys_base)", "NUMBER(pgtable_l5_enabled)", "NUMBER(VA_BITS)", "NUMBER(TCR_EL1_T1SZ)",
                "NUMBER(kimage_voffset)", "NUMBER(PHYS_OFFSET)", "SYMBOL(init_uts_ns)", "SYMBOL(swapper_pg_dir)",
                "SYMBOL(init_top_pgt)", "SYMBOL(mem_section)", "SYMBOL(prb)" })
                if (vi[key] is { } v) w.WriteLine($"  {key,-22} {v}");
            w.WriteLine($"  {vi.Symbols.Count()} SYMBOL(), " +
                $"{vi.Entries.Count(x => x.Key.StartsWith("OFFSET(", StringComparison.Ordinal))} OFFSET(), " +
                $"{vi.Entries.Count(x => x.Key.StartsWith("NUMBER(", StringComparison.Ordinal))} NUMBER()");
        }
        else w.WriteLine("VMCOREINFO:   none");
        if (d.RegionMap is { } map)
        {
            string active = map.DumpActive switch { true => ", dump active", false => ", no dump active", null => "" };
            w.WriteLine($"regions:      {map.Regions.Count} ({map.Format}{active})");
            foreach (var (r, extents) in d.Regions)
            {
                w.WriteLine($"  {r.Label,-5} addr 0x{r.Address:x} size 0x{r.Size:x}{(r.Dumped is ulong n ? $", dumped 0x{n:x}" : "")}" +
                    (r.SourceAddress != r.Address ? $" (copy of physical 0x{r.SourceAddress:x})" : "") +
                    (map.ReservedAbove == r.Address && r.Kind == RegionKind.Reserved && r.Dumped is null
                        ? " (reserved for saving the crash dump)" : ""));
                foreach (var x in extents)
                {
                    string where = x.FileOffset is ulong f ? $"at file offset 0x{f:x}"
                        : d.Elf is not null ? "not in the dump" : "present in the dump";
                    w.WriteLine($"        physical 0x{x.PhysStart:x}+0x{x.Length:x} {where}");
                }
                // FADump's capture kernel turns the firmware's register save area into the PRSTATUS notes.
                if (map.Format == RegionMap.FadumpFormat && r.Kind == RegionKind.Cpu && map.DumpActive == true)
                    w.WriteLine($"        register save area: the dump carries it as {d.Cpus.Count} NT_PRSTATUS notes");
            }
            if (map.ParamArea is { } pa)
                w.WriteLine($"  PARAM addr 0x{pa.Address:x} size 0x{pa.Size:x}: cmdline append '{pa.CmdlineAppend}'");
            foreach (var line in map.OtherLines) w.WriteLine($"  line {line.Line}: {line.Text}");
            foreach (var warn in map.Warnings) w.WriteLine($"  warning: {warn}");
        }
        var log = d.Log.Value;
        if (log.Records.Count > 0)
        {
            w.WriteLine($"kernel log:   {log.Records.Count} records ({log.Format}); last lines:");
            foreach (var r in log.Records.TakeLast(5)) w.WriteLine("  " + r.Format(false).Replace("\n", "\n  "));
        }
        else w.WriteLine($"kernel log:   none ({string.Join("; ", log.Warnings)})");
        foreach (var warn in d.Warnings) w.WriteLine($"warning:      {warn}");
    }
}
