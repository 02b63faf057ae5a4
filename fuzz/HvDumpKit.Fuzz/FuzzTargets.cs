using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Arch.Ppc64;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Crypto.Age;
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
    public static readonly string[] Names = ["dump", "filter", "regionmap", "vmcoreinfo", "codecs", "regsave", "age"];

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
                case "age": Age(data); break;
                default: throw new ArgumentException($"unknown fuzz target {target}");
            }
        }
        catch (Exception ex) when (ex is DumpFormatException or NotSupportedException or AgeIdentityException) { }
    }

    // The C2SP testkit's x25519 vector: a valid header (file key "YELLOW SUBMARINE") and its identity,
    // so fuzzed payloads reach the STREAM chunk parser behind a MAC that verifies.
    private const string AgeHeader = "age-encryption.org/v1\n-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n" +
        "hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE\n--- WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNg\n";
    public const string AgeIdentity = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

    /// <summary>
    /// An age file: first byte even, the rest is a whole file (header parser, stanzas, MAC); odd,
    /// the rest is a payload (nonce and chunks) behind the fixed header, read chunk by chunk.
    /// </summary>
    private static void Age(byte[] data)
    {
        if (data.Length == 0) return;
        AgeX25519Identity.TryParse(AgeIdentity, out var id);
        byte[] file = (data[0] & 1) == 0 ? data[1..] : [.. Encoding.ASCII.GetBytes(AgeHeader), .. data.AsSpan(1)];
        using var input = AgeInput.Open(new MemoryInput(file, "fuzz.age"), new AgeKeyring([id!]), allowTruncated: (data[0] & 2) != 0);
        var buf = new byte[AgeLayout.ChunkSize + 7]; // across chunk boundaries
        for (long at = 0; at < input.Length; at += buf.Length)
        {
            try { input.ReadAt(at, buf); }
            catch (DumpFormatException) { }
        }
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
