using HvDumpKit.Reader.Kernel;

namespace HvDumpKit.Reader.Verify;

/// <summary>What verify found: structure, pages, and (with a golden manifest) the comparison.</summary>
public sealed class VerifyReport
{
    public const int MaxListed = 50;

    public List<string> Problems { get; } = new();
    public ulong PagesRam { get; set; }
    public ulong PagesPresent { get; set; }
    public ulong PagesExcluded { get; set; }
    public ulong PagesMissing { get; set; }
    public ulong? FirstMissingPfn { get; set; }
    public ulong PagesCorrupt { get; set; }
    public List<(ulong Pfn, string Why)> Corrupt { get; } = new();

    // With --golden
    public bool HasGolden { get; set; }
    public ulong Matched { get; set; }
    public ulong Mismatched { get; set; }
    public List<ulong> MismatchedPfns { get; } = new();
    public ulong ExcludedByLevel { get; set; }
    public Dictionary<string, ulong> ExcludedByClass { get; } = new();
    public ulong NotInDump { get; set; }
    /// <summary>Golden pages past the dump's last PFN (kdump's max_mapnr): reported, not failed.</summary>
    public ulong BeyondMaxPfn { get; set; }
    public ulong Unverified { get; set; }
    public bool NotesMatch { get; set; } = true;
    public bool VmcoreInfoMatch { get; set; } = true;

    public bool Ok => Problems.Count == 0 && PagesMissing == 0 && PagesCorrupt == 0 && Mismatched == 0 && NotInDump == 0 && NotesMatch
        && VmcoreInfoMatch;

    public static string ClassName(PageClass c) => c switch
    {
        PageClass.Cache => "cache",
        PageClass.CachePrivate => "cache_private",
        PageClass.User => "user",
        PageClass.Free => "free",
        PageClass.HwPoison => "hwpoison",
        PageClass.Offline => "offline",
        _ => "unclassified",
    };
}
