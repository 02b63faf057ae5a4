using HvDumpKit.Reader;

namespace HvDumpKit.Writers.Selection;

/// <summary>
/// makedumpfile's dump level bits. This layer decides what needs only page contents (bit 1,
/// zero pages); the classes that need kernel data (cache, user, free) are decided by the kernel
/// model and arrive as the source's present ranges.
/// </summary>
public static class DumpLevel
{
    public const int Zero = 1, Cache = 2, CachePrivate = 4, User = 8, Free = 16;

    public static bool ExcludesZero(int level) => (level & Zero) != 0;

    public static void Validate(int level)
    {
        if (level < 0 || level > 31)
            throw new ArgumentOutOfRangeException(nameof(level), level, "dump level must be 0–31");
    }

    /// <summary>Total of a range list's page counts.</summary>
    public static ulong Count(IEnumerable<PfnRange> ranges) => PfnRanges.Count(ranges);
}
