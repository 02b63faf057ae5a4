using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Reader.Verify;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.Cli;
using Xunit;

namespace HvDumpKit.Tests.Robustness;

/// <summary>
/// Malformed input, generated deterministically from the committed samples: truncations, bit flips
/// and bogus words in the headers, notes, bitmaps, descriptors and page data. Opening, reading every
/// page, verifying and extracting the log may fail only with our format or decode errors — an
/// IndexOutOfRange, Overflow, EndOfStream, NullReference or a hang is a bug.
/// </summary>
public sealed class MutationTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public static IEnumerable<object[]> Cases()
    {
        foreach (var sample in new[] { "elf", "kdump" })
            for (int i = 0; i < 150; i++) yield return [sample, i];
    }

    private static byte[] Mutate(byte[] original, int seed)
    {
        var rng = new Random(seed * 7919 + original.Length);
        var b = (byte[])original.Clone();
        // Most damage goes where the structure is: the first 24 KiB (headers, notes, bitmaps, descriptors).
        int Pos() => rng.Next(4) == 0 ? rng.Next(b.Length) : rng.Next(Math.Min(b.Length, 24576));
        switch (seed % 4)
        {
            case 0: return b.AsSpan(0, rng.Next(b.Length)).ToArray();           // truncation
            case 1: for (int k = 0; k < 1 + rng.Next(8); k++) b[Pos()] ^= (byte)(1 << rng.Next(8)); return b; // bit flips
            case 2:                                                               // a bogus 32/64-bit word
                int at = Pos() & ~3;
                if (at + 8 <= b.Length) BitConverter.GetBytes(rng.Next(2) == 0 ? ulong.MaxValue - (ulong)rng.Next(1000) : (ulong)rng.NextInt64()).CopyTo(b, at);
                return b;
            default:                                                              // a zeroed or 0xFF-filled run
                int s = Pos(), n = Math.Min(b.Length - s, 1 + rng.Next(512));
                b.AsSpan(s, n).Fill(rng.Next(2) == 0 ? (byte)0 : (byte)0xFF);
                return b;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedSample_OnlyCleanErrors(string sample, int seed)
    {
        var original = File.ReadAllBytes(sample == "elf" ? Samples.Elf : Samples.Kdump);
        var path = _dir.File($"{sample}-{seed}");
        File.WriteAllBytes(path, Mutate(original, seed));
        var run = Task.Run(() =>
        {
            try
            {
                using var d = DumpProbe.Open(path);
                var page = new byte[d.Header.PageSize];
                foreach (var r in d.PresentRanges().Take(1000))
                    for (ulong p = r.Start; p < Math.Min(r.End, r.Start + 4096); p++)
                    {
                        try { d.ReadPage(p, page); }
                        catch (Exception ex) when (ex is DumpFormatException) { }
                    }
                DumpVerifier.Verify(d, 1);
                KernelLog.Read(d);
                UtsName.TryRead(d);
            }
            catch (Exception ex) when (ex is DumpFormatException or NotSupportedException) { }
            // The CLI's one-line contract, too.
            var r2 = CliRunner.Run("info", path);
            Assert.True(r2.ExitCode is 0 or 1, r2.Stderr);
            if (r2.ExitCode == 1) Assert.Single(r2.Stderr.TrimEnd('\n').Split('\n'));
        });
        var done = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(done == run, $"{sample} mutation {seed} hung");
        await run;
    }
}
