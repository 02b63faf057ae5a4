using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Writers.Release;

namespace HvDumpKit.Capture;

/// <summary>
/// The firmware's CPU state and HPTE areas of a save, each copied to a file of its own (they may
/// be released once synced), and the PRSTATUS notes a vmcore without them gets from the
/// register save area.
/// </summary>
public static class CaptureAreas
{
    /// <summary>Copies every CPU and HPTE region of map into dir, recording each in status (a resumed save keeps its copies).</summary>
    public static void Save(IDumpSource dump, RegionMap? map, string dir, SaveStatus status)
    {
        foreach (var region in (map?.Regions ?? []).Where(r => r.Kind is RegionKind.Cpu or RegionKind.Hpte))
        {
            int before = status.Areas.Count(a => a.Kind == region.Kind);
            string file = Path.Combine(dir,
                (region.Kind == RegionKind.Cpu ? "cpu-state" : "hpte") + (before > 0 ? $"-{before}" : "") + ".bin");
            status.Areas.Add(File.Exists(file) // a resumed save's copy, whole (renamed only once synced)
                ? new SavedArea(region.Kind, region.Address, region.Size, Path.GetFileName(file), (ulong)new FileInfo(file).Length, 0)
                : AreaSaver.Save(dump, region, file));
        }
    }

    /// <summary>
    /// The dump with PRSTATUS notes decoded from the saved CPU area's register save area when it
    /// carries none of its own; else the dump itself. A damaged save area is reported on messages.
    /// </summary>
    public static IDumpSource WithRegisterNotes(IDumpSource dump, string dir, SaveStatus status, TextWriter messages)
    {
        var cpuFile = status.Areas.FirstOrDefault(a => a.Kind == RegionKind.Cpu);
        if (cpuFile is null || dump.Notes.PrStatus.Any()) return dump;
        if (Architectures.For(dump.Header.Machine) is not { } arch) return dump;
        var bytes = ReadHead(Path.Combine(dir, cpuFile.File), 16 << 20);
        try
        {
            if (arch.PrStatusNotesFromCpuArea(bytes, dump.Header.ByteOrder) is not { } notes) return dump;
            status.CpuNotes = notes.Count;
            return new NotesOverride(dump, [.. notes.SelectMany(n => n)]);
        }
        catch (DumpFormatException ex)
        {
            messages.WriteLine($"hvdump: {cpuFile.File}: {ex.Message}; the dump has no CPU registers");
            return dump;
        }
    }

    private static byte[] ReadHead(string path, int max)
    {
        using var fs = File.OpenRead(path);
        var buf = new byte[(int)Math.Min(max, fs.Length)];
        fs.ReadExactly(buf);
        return buf;
    }

}
