using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Writers.Release;

/// <summary>A CPU state or HPTE area of the region map, copied to a file of its own.</summary>
public sealed record SavedArea(RegionKind Kind, ulong Address, ulong Size, string File, ulong BytesSaved, ulong BytesMissing);

/// <summary>
/// Copies a region-map area (CPU register save area, hashed page table) out of the dump by
/// physical address, page by page, into FILE — through OutputFile (temporary name, synced,
/// renamed), so an existing FILE is whole and its area may be released. Bytes the dump does not hold read as
/// zero and are counted.
/// </summary>
public static class AreaSaver
{
    public static SavedArea Save(IDumpSource source, MemoryRegion area, string path)
    {
        ulong ps = (ulong)source.Header.PageSize;
        var page = new byte[ps];
        ulong saved = 0, missing = 0;
        using (var output = OutputFile.Create(path, force: true, []))
        {
            // OutputFile owns its stream; the buffer over it is only flushed.
            var fs = new BufferedStream(output.Stream, 1 << 16);
            ulong pa = area.SourceAddress, end = area.SourceAddress + area.Size;
            while (pa < end)
            {
                ulong pfn = pa / ps;
                int inPage = (int)(pa % ps);
                int n = (int)Math.Min(ps - (ulong)inPage, end - pa);
                bool present = pfn < source.MaxPfn && source.ReadPage(pfn, page) == PageStatus.Present;
                if (!present) page.AsSpan().Clear();
                fs.Write(page, inPage, n);
                if (present) saved += (ulong)n; else missing += (ulong)n;
                pa += (ulong)n;
            }
            fs.Flush();
            output.Commit(sync: true);
        }
        return new SavedArea(area.Kind, area.Address, area.Size, Path.GetFileName(path), saved, missing);
    }
}
