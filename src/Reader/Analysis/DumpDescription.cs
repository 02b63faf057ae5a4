using HvDumpKit.Reader.Kdump;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Regions;

namespace HvDumpKit.Reader.Analysis;

/// <summary>A region of the region map with the pieces of the dump that hold its memory.</summary>
public sealed record RegionDescription(MemoryRegion Region, IReadOnlyList<RegionExtent> Extents);

/// <summary>
/// What `hvdump info` says about a dump, decided once: the text and the JSON renderings are two
/// views of this one model. Where VMCOREINFO and the format's header state the same fact
/// (kernel release, crash time), VMCOREINFO's is taken.
/// </summary>
public sealed class DumpDescription
{
    public required string File { get; init; }
    public required string FormatName { get; init; }
    public required DumpFormat Format { get; init; }
    /// <summary>`uname -m` of the dumped machine.</summary>
    public required string Arch { get; init; }
    public required Machine Machine { get; init; }
    public required ByteOrder ByteOrder { get; init; }
    public required bool Is64Bit { get; init; }
    public required int PageSize { get; init; }
    public string? KernelRelease { get; init; }
    public long? CrashTime { get; init; }
    public required IReadOnlyList<PrStatus> Cpus { get; init; }
    public required ulong MaxPfn { get; init; }
    public required ulong PagesRam { get; init; }
    public required ulong PagesPresent { get; init; }
    public required int DumpLevel { get; init; }
    public KdumpHeader? Kdump { get; init; }
    public ElfLayoutFacts? Elf { get; init; }
    public required IReadOnlyList<ElfNote> Notes { get; init; }
    public VmcoreInfo? VmcoreInfo { get; init; }
    public RegionMap? RegionMap { get; init; }
    public required IReadOnlyList<RegionDescription> Regions { get; init; }
    /// <summary>The kernel log, read only when a rendering shows it.</summary>
    public required Lazy<KernelLog> Log { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Describes source (which must stay open while Log is unread) with an optional region map.</summary>
    public static DumpDescription Of(IDumpSource s, RegionMap? map)
    {
        var h = s.Header;
        var vi = s.VmcoreInfo;
        return new DumpDescription
        {
            File = s.Path,
            FormatName = s.Facts.FormatName,
            Format = h.Format,
            Arch = MachineNames.UtsMachine(h.Machine, h.ByteOrder),
            Machine = h.Machine,
            ByteOrder = h.ByteOrder,
            Is64Bit = h.Is64Bit,
            PageSize = h.PageSize,
            KernelRelease = vi?.OsRelease ?? s.Facts.KernelRelease,
            CrashTime = vi?.CrashTime ?? s.Facts.CrashTime,
            Cpus = [.. s.Notes.PrStatus.Select(n => PrStatus.Decode(s.Notes.Desc(n), h.Machine, h.ByteOrder, h.Is64Bit))],
            MaxPfn = s.MaxPfn,
            PagesRam = s.RamRanges().Aggregate(0UL, (a, r) => a + r.Count),
            PagesPresent = s.PresentRanges().Aggregate(0UL, (a, r) => a + r.Count),
            DumpLevel = s.DumpLevel,
            Kdump = s.Facts.Kdump,
            Elf = s.Facts.Elf,
            Notes = s.Notes.Notes,
            VmcoreInfo = vi,
            RegionMap = map,
            Regions = map is null ? []
                : [.. RegionRelation.RegionsOf(map, s).Select(r => new RegionDescription(r, RegionRelation.Relate(r, s)))],
            Log = new Lazy<KernelLog>(() => KernelLog.Read(s)),
            Warnings = s.Warnings,
        };
    }
}
