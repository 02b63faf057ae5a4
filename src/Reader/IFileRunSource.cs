using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Reader;

/// <summary>
/// Optional: where whole pages of a source sit unchanged in a plain file, so a writer that stores
/// pages as they are can copy them file to file in large chunks instead of page by page — an ELF
/// vmcore's PT_LOAD data.
/// </summary>
public interface IFileRunSource
{
    /// <summary>
    /// The file holding pfn's page, its offset, and how many pages from pfn (at most maxPages) follow
    /// it contiguously in that file; null when the page is not wholly file-backed in a plain file.
    /// </summary>
    (SafeFileHandle File, long Offset, ulong Pages)? FileRun(ulong pfn, ulong maxPages);
}
