using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader;

/// <summary>Facts every format can state about the dumped machine.</summary>
public sealed record DumpHeader(
    DumpFormat Format,
    Machine Machine,
    ByteOrder ByteOrder,
    int PageSize,
    bool Is64Bit,
    uint ElfFlags = 0);

/// <summary>
/// Any dump, read by page frame number. Readers never know about writers; writers never know
/// which reader feeds them (ARCHITECTURE.md). Thread-safe for concurrent ReadPage calls.
/// </summary>
public interface IDumpSource : IDisposable
{
    string Path { get; }
    DumpHeader Header { get; }
    /// <summary>The ELF note records (CORE/NT_PRSTATUS, VMCOREINFO, QEMU …) in source order.</summary>
    NoteSet Notes { get; }
    /// <summary>Decoded VMCOREINFO, or null when the dump carries none.</summary>
    VmcoreInfo? VmcoreInfo { get; }
    /// <summary>One past the highest PFN the dump describes.</summary>
    ulong MaxPfn { get; }
    /// <summary>Dump level the source was already filtered with (0 for unfiltered ELF).</summary>
    int DumpLevel { get; }
    /// <summary>PFNs that are RAM in the dumped machine (kdump's 1st bitmap), ascending, coalesced.</summary>
    IEnumerable<PfnRange> RamRanges();
    /// <summary>PFNs whose bytes the dump holds (kdump's 2nd bitmap), ascending, coalesced.</summary>
    IEnumerable<PfnRange> PresentRanges();
    /// <summary>Reads one page into page (PageSize bytes). Absent bytes of a partial page read as zero.</summary>
    PageStatus ReadPage(ulong pfn, Span<byte> page);
    /// <summary>What the format's own headers state (format name, utsname, crash time, kdump or ELF headers …).</summary>
    DumpFacts Facts { get; }
    /// <summary>Problems that did not stop reading (overlapping PT_LOADs, odd headers …).</summary>
    IReadOnlyList<string> Warnings { get; }
}
