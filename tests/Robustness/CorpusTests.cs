using HvDumpKit.Fuzz;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Robustness;

/// <summary>
/// Replays the stored inputs of every fuzz target (tests/Robustness/corpus/TARGET: afl++'s queue
/// of malformed inputs from fuzz/run.sh, and every crash or hang it found, now fixed) through the
/// same code the fuzzer ran. Each may end only in our format or decode errors, within 10 seconds
/// (afl counts 5 s as a hang; one found took 14 s where work followed the PFN span, not the pages).
/// </summary>
public sealed class CorpusTests
{
    public static string Corpus => Path.Combine(Repo.Root, "tests", "Robustness", "corpus");

    public static IEnumerable<object[]> Inputs() =>
        FuzzTargets.Names.Where(t => Directory.Exists(Path.Combine(Corpus, t)))
            .SelectMany(t => Directory.GetFiles(Path.Combine(Corpus, t)).Order().Select(f => new object[] { t, Path.GetFileName(f) }));

    [Fact]
    public void Corpus_HoldsAtLeast200Inputs() => Assert.True(Inputs().Count() >= 200, $"{Inputs().Count()} stored inputs");

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task StoredInput_OnlyCleanErrors(string target, string file)
    {
        var data = File.ReadAllBytes(Path.Combine(Corpus, target, file));
        var run = Task.Run(() => FuzzTargets.Run(target, data));
        var done = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(done == run, $"{target}/{file} hung");
        await run; // any exception but a format or decode error fails here
    }
}
