using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Elf;
using HvDumpKit.Reader.Kdump;

namespace HvDumpKit.Reader;

/// <summary>
/// What a dump's own headers state beyond <see cref="DumpHeader"/>: the format's name, kernel
/// release, crash time, utsname, phys_base, compression, INCOMPLETE, and the format's header
/// section. Every decorator forwards it unchanged, so nothing needs to cast a source to its reader
/// type to learn them (a cast fails silently once a decorator wraps the reader).
/// The values are the format's own: a VMCOREINFO supplied later does not change them, and callers
/// that want the kernel's word prefer VMCOREINFO's where it states the same fact.
/// </summary>
public sealed record DumpFacts
{
    /// <summary>A person's name for the format, e.g. "kdump-compressed (header_version 6)".</summary>
    public required string FormatName { get; init; }
    /// <summary>utsname.release as the format header records it (kdump), else null.</summary>
    public string? KernelRelease { get; init; }
    /// <summary>disk_dump_header.timestamp (seconds since the epoch), else null.</summary>
    public long? CrashTime { get; init; }
    /// <summary>new_utsname's six fields (sysname … domainname) as the header records them, else null.</summary>
    public IReadOnlyList<string>? UtsName { get; init; }
    /// <summary>kdump_sub_header.phys_base, else null.</summary>
    public ulong? PhysBase { get; init; }
    /// <summary>Page compression the format states (kdump's status bits), else null.</summary>
    public PageCompression? Compression { get; init; }
    /// <summary>DUMP_DH_COMPRESSED_INCOMPLETE: the writer stopped before the end.</summary>
    public bool Incomplete { get; init; }
    /// <summary>The disk_dump_header and kdump_sub_header of a kdump-compressed dump.</summary>
    public KdumpHeader? Kdump { get; init; }
    /// <summary>Entries of a kdump file's page_desc array (dumpable PFNs of its range), else null.</summary>
    public ulong? PageDescriptors { get; init; }
    /// <summary>The ELF header, program headers and their physical extents of an ELF vmcore.</summary>
    public ElfLayoutFacts? Elf { get; init; }
}

/// <summary>An ELF vmcore's headers and what they say about the file's extent.</summary>
/// <param name="TruncatedPages">Pages the program headers place past the end of the file (0 when whole).</param>
/// <param name="Truncation">The error a conversion raises for a truncated file, naming the PT_LOAD; null when whole.</param>
public sealed record ElfLayoutFacts(
    ElfHeader Header,
    IReadOnlyList<ProgramHeader> ProgramHeaders,
    IReadOnlyList<PhysicalExtent> Extents,
    ulong TruncatedPages,
    ulong? FirstTruncatedPfn,
    DumpFormatException? Truncation)
{
    public IEnumerable<ProgramHeader> Loads => ProgramHeaders.Where(p => p.IsLoad);
}
