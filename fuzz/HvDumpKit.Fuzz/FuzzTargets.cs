using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Notes;
using HvDumpKit.Reader.Regions;
using HvDumpKit.Reader.Verify;
using HvDumpKit.Writers.Selection;

namespace HvDumpKit.Fuzz;

/// <summary>
/// What each fuzz target does with one input. Bad input may end only in our format or decode
/// errors (the CLI turns those into one line and exit 1); any other exception, a crash or a hang
/// is a bug. The test suite replays the stored corpora through the same code.
/// </summary>
public static class FuzzTargets
{
    public static readonly string[] Names = ["dump", "filter", "regionmap", "vmcoreinfo", "codecs", "regsave"];

    public static void Run(string target, byte[] data)
    {
        try
        {
            switch (target)
            {
                case "dump": Dump(data, filter: false); break;
                case "filter": Dump(data, filter: true); break;
                case "regionmap": RegionMap.Parse(Encoding.Latin1.GetString(data)); break;
                case "vmcoreinfo": VmcoreInfoText(data); break;
                case "codecs": Codecs(data); break;
                case "regsave": RegisterSaveArea.Parse(data); break;
                default: throw new ArgumentException($"unknown fuzz target {target}");
            }
        }
        catch (Exception ex) when (ex is DumpFormatException or NotSupportedException) { }
    }

    /// <summary>ELF, kdump-compressed or flattened bytes: headers, notes, bitmaps, descriptors, pages, the log and the kernel walks.</summary>
    private static void Dump(byte[] data, bool filter)
    {
        using var d = DumpProbe.Open(new MemoryInput(data, "fuzz"));
        _ = d.Notes.PrStatus.Select(n => PrStatus.Decode(d.Notes.Desc(n), d.Header.Machine, d.Header.ByteOrder, d.Header.Is64Bit)).ToList();
        var page = new byte[d.Header.PageSize];
        int pages = 0;
        foreach (var r in d.PresentRanges().Take(256))
            for (ulong p = r.Start; p < r.End && pages < 512; p++, pages++)
            {
                try { d.ReadPage(p, page); }
                catch (Exception ex) when (ex is DumpFormatException) { }
            }
        _ = d.RamRanges().Take(4096).Count();
        if (!filter)
        {
            DumpVerifier.Verify(d, 1);
            return;
        }
        // Page-table and list walks: the printk ring, utsname, and dump level 31's struct page chain.
        KernelLog.Read(d);
        UtsName.TryRead(d);
        using var f = new FilteredDumpSource(d, 31);
        _ = f.PresentRanges().Take(1 << 16).Count();
    }

    private static void VmcoreInfoText(byte[] data)
    {
        var v = VmcoreInfo.FromBytes(data);
        _ = v.PageSize;
        _ = v.OsRelease;
        _ = v.PhysBase;
        _ = v.CrashTime;
    }

    /// <summary>First byte picks the codec and page size; the rest is one compressed page.</summary>
    private static void Codecs(byte[] data)
    {
        if (data.Length < 1) return;
        var kind = (data[0] & 3) switch { 0 => PageCompression.Zlib, 1 => PageCompression.Lzo, 2 => PageCompression.Snappy, _ => PageCompression.Zstd };
        var page = new byte[(data[0] & 4) != 0 ? 65536 : 4096];
        PageCodecs.Decompress(kind, data.AsSpan(1), page);
    }
}
