using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>
/// Per-PFN classes of the synthetic kernel at dump level 31: cache 12, private cache 13, anon 14,
/// an order-2 buddy block 16–19; a block crossing a cycle is carried into the next.
/// </summary>
public sealed class CycleClassificationTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly IDumpSource _dump;
    public CycleClassificationTests() => _dump = DumpProbe.Open(SyntheticKernel.Vmcore().WriteTo(_dir.File("s.elf")));
    public void Dispose() { _dump.Dispose(); _dir.Dispose(); }

    private PageClassifier Classifier(int level = 31) =>
        PageClassifier.TryCreate(_dump, level, out var why) ?? throw new InvalidOperationException(why);

    private static Dictionary<ulong, PageClass> Excluded(ulong start, PageClass[] classes, ulong count) =>
        Enumerable.Range(0, (int)count).Where(i => classes[i] != PageClass.Keep).ToDictionary(i => start + (ulong)i, i => classes[i]);

    private static readonly Dictionary<ulong, PageClass> Level31 = new()
    {
        [12] = PageClass.Cache, [13] = PageClass.CachePrivate, [14] = PageClass.User,
        [16] = PageClass.Free, [17] = PageClass.Free, [18] = PageClass.Free, [19] = PageClass.Free,
    };

    [Fact]
    public void OneCycle_EveryClassAtItsPfn()
    {
        var c = new CycleClassification(Classifier());
        var classes = new PageClass[64];
        c.Classify(0, 64, classes);
        Assert.Equal(Level31, Excluded(0, classes, 64));
        Assert.Equal(0UL, c.ProtectedKept);
    }

    [Fact]
    public void BuddyBlockAcrossCycles_CarriedIntoTheNext()
    {
        var c = new CycleClassification(Classifier());
        var classes = new PageClass[64];
        var all = new Dictionary<ulong, PageClass>();
        foreach (var (s, e) in new (ulong, ulong)[] { (0, 18), (18, 40), (40, 64) })
        {
            c.Classify(s, e, classes);
            foreach (var kv in Excluded(s, classes, e - s)) all.Add(kv.Key, kv.Value);
        }
        Assert.Equal(Level31, all);
    }

    [Fact]
    public void StaleClasses_ClearedBetweenCycles()
    {
        var c = new CycleClassification(Classifier());
        var classes = Enumerable.Repeat(PageClass.Offline, 64).ToArray();
        c.Classify(20, 30, classes);
        Assert.Empty(Excluded(20, classes, 10));
        Assert.Equal(PageClass.Offline, classes[10]); // beyond end - start: untouched
    }

    [Fact]
    public void ProtectedPfns_KeptAndCounted()
    {
        var c = new CycleClassification(Classifier(), new HashSet<ulong> { 13, 17, 40 });
        var classes = new PageClass[64];
        c.Classify(0, 64, classes);
        var expected = new Dictionary<ulong, PageClass>(Level31);
        expected.Remove(13);
        expected.Remove(17);
        Assert.Equal(expected, Excluded(0, classes, 64));
        Assert.Equal(2UL, c.ProtectedKept);
    }

    [Fact]
    public void Level2_OnlyNonPrivateCache()
    {
        var c = new CycleClassification(Classifier(2));
        var classes = new PageClass[64];
        c.Classify(0, 64, classes);
        Assert.Equal(new Dictionary<ulong, PageClass> { [12] = PageClass.Cache }, Excluded(0, classes, 64));
    }
}
