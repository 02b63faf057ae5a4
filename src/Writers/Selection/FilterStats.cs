using HvDumpKit.Reader.Kernel;

namespace HvDumpKit.Writers.Selection;

/// <summary>Pages excluded per class in one pass (makedumpfile's --message-level 31 counters).</summary>
public sealed class FilterStats
{
    private readonly ulong[] _counts = new ulong[8];

    public ulong this[PageClass c] => _counts[(int)c];
    public void Add(PageClass c, ulong n = 1) => _counts[(int)c] += n;
    public void Clear() => Array.Clear(_counts);
    public ulong Cache => this[PageClass.Cache];
    public ulong CachePrivate => this[PageClass.CachePrivate];
    public ulong User => this[PageClass.User];
    public ulong Free => this[PageClass.Free];
    public ulong HwPoison => this[PageClass.HwPoison];
    public ulong Offline => this[PageClass.Offline];
    public ulong Total => _counts.Aggregate(0UL, (a, b) => a + b) - this[PageClass.Keep];

    public FilterStats Copy()
    {
        var f = new FilterStats();
        _counts.CopyTo(f._counts, 0);
        return f;
    }
}
