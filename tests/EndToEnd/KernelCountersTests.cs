using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Each excluded class against the guest kernel's own page counters (dump level 31 on both kernels; 2, 4, 8 and
/// 16 one at a time on 7.x, where makedumpfile is no oracle): cache = Cached + Buffers, free = MemFree,
/// user ≥ AnonPages (no hugetlb in these guests), and every slab page kept. The Debian sid fixture
/// (Linux 7.2, tails in page.compound_info, mask-encoded) is built by scripts/make-sid-fixture.sh;
/// the 6.1 one by ../shared/realcore/make-vmcore.sh.
/// </summary>
[Collection("real vmcore")]
public sealed partial class KernelCountersTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"^\s*(Non-private cache pages|Private cache pages|User process data pages|Free pages)\s*:\s*0x([0-9a-f]+)",
        RegexOptions.Multiline)]
    private static partial Regex StatsLine();

    [GeneratedRegex(@"^\s+(MemFree|Buffers|Cached):\s+(\d+) kB", RegexOptions.Multiline)]
    private static partial Regex MeminfoLine();

    [GeneratedRegex(@"^vmlinux: (\S+)", RegexOptions.Multiline)]
    private static partial Regex VmlinuxLine();

    [SkippableTheory]
    [InlineData("x86_64-sid-512m", 31)]
    [InlineData("x86_64-512m", 31)]
    [InlineData("x86_64-sid-512m", 2)]
    [InlineData("x86_64-sid-512m", 4)]
    [InlineData("x86_64-sid-512m", 8)]
    [InlineData("x86_64-sid-512m", 16)]
    public void EachExcludedClass_CountIsTheKernels_SlabKept(string fixture, int level)
    {
        var src = RealTools.FixtureFile(fixture, "vmcore.fixed.elf");
        var info = File.ReadAllText(RealTools.FixtureFile(fixture, "info.txt"));
        var vmlinux = VmlinuxLine().Match(info) is { Success: true } v ? v.Groups[1].Value : null;
        RealTools.Need(vmlinux is not null && File.Exists(vmlinux), $"the -dbg vmlinux named in {fixture}/info.txt");
        var outp = _dir.File($"d{level}.kdump");
        var h = CliRunner.Run("convert", src, outp, "--dump-level", level.ToString(), "--compress", "lzo", "--stats", "--force");
        Assert.True(h.ExitCode == 0, h.Stderr);
        Assert.DoesNotContain("hvdump: warning:", h.Stderr);
        var ours = StatsLine().Matches(h.Stderr)
            .ToDictionary(m => m.Groups[1].Value, m => ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber));
        ulong cache = ours["Non-private cache pages"] + ours["Private cache pages"];

        // The page cache does not move between the guest's /proc/meminfo and the dump.
        var meminfo = MeminfoLine().Matches(info)
            .ToDictionary(m => m.Groups[1].Value, m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        ulong guestCache = (meminfo["Cached"] + meminfo["Buffers"]) / 4;
        // Dump level 4 excludes all of the page cache, 2 only its pages without private data (no oracle splits the two).
        if ((level & 4) != 0) Assert.Equal(guestCache, cache);
        else if ((level & 2) != 0) Assert.InRange(ours["Non-private cache pages"], 1UL, guestCache);
        else Assert.Equal(0UL, cache);
        if ((level & 4) == 0) Assert.Equal(0UL, ours["Private cache pages"]);

        // Free and anonymous pages can (7.x returns per-CPU list pages to the buddy allocator after the guest
        // printed MemFree), so those are compared with the kernel's counters read out of the dump itself.
        var script = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "check_meminfo_at_dump.py");
        var r = RealTools.Run(RealTools.SystemPython, [script, src, vmlinux!]);
        RealTools.Need(!r.Stderr.Contains("No module named 'drgn'"), "python3-drgn");
        Assert.True(r.ExitCode == 0, r.All);
        using var doc = JsonDocument.Parse(r.Stdout);
        ulong Pages(string name) => doc.RootElement.GetProperty(name).GetUInt64() / 4;
        Assert.Equal((level & 16) != 0 ? Pages("MemFree") : 0, ours["Free pages"]);
        // The cache is checked against the guest's Cached+Buffers above, which does not move; the dump's
        // NR_FILE_PAGES counter can lag it by a page still being added to or taken from the cache.
        // Every anonymous mapped page is user data; a few more can be (an anonymous page already unmapped,
        // waiting in a TLB-gather batch to be freed, is still anonymous but no longer in NR_ANON_MAPPED).
        if ((level & 8) != 0) Assert.InRange(ours["User process data pages"], Pages("AnonPages"), ulong.MaxValue);
        else Assert.Equal(0UL, ours["User process data pages"]);

        var slab = RealTools.Run(RealTools.SystemPython,
            [Path.Combine(AppContext.BaseDirectory, "EndToEnd", "check_slab_kept.py"), src, outp, Repo.Shared("tools", "kdumppfns.py")]);
        Assert.True(slab.ExitCode == 0, slab.All);
        Assert.Contains("\"slab_dropped_with_data\": 0", slab.Stdout);
    }
}
