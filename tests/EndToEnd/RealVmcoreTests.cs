using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>Our outputs from a real QEMU vmcore, opened by the real consumers.</summary>
[Collection("real vmcore")]
public sealed class RealVmcoreTests(ConvertedOutputs outputs) : IClassFixture<ConvertedOutputs>
{
    [SkippableFact]
    public void Info_QemuVmcoreAsWritten_ReportsReleaseCpusLoadsPageSize()
    {
        var src = RealTools.FixtureFile("vmcore.elf");
        var text = RealTools.Hvdump("info", src);
        // The oracle is readelf on the same file: its program headers and its NT_PRSTATUS notes.
        var phdrs = RealTools.Run(RealTools.Tool("readelf"), ["-lW", src]).Ok("readelf -l").Stdout;
        int loads = phdrs.Split('\n').Count(l => l.TrimStart().StartsWith("LOAD ", StringComparison.Ordinal));
        var notes = RealTools.Run(RealTools.Tool("readelf"), ["-nW", src]).Ok("readelf -n").Stdout;
        int cpus = notes.Split('\n').Count(l => l.Contains("NT_PRSTATUS", StringComparison.Ordinal));
        Assert.True(loads > 0 && cpus > 0, $"readelf: {loads} PT_LOAD, {cpus} NT_PRSTATUS");
        var release = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(RealTools.FixtureFile("info.txt")),
            @"6\.1\.0-\d+-cloud-amd64").Value;
        Assert.Matches(@"kernel:\s+6\.1\.0-", text);
        Assert.Contains($"CPUs:         {cpus} (NT_PRSTATUS)", text);
        Assert.Contains($"segments:     1 PT_NOTE, {loads} PT_LOAD", text);
        Assert.Contains("page size:    4096", text);
        using var doc = JsonDocument.Parse(RealTools.Hvdump("info", src, "--json"));
        var r = doc.RootElement;
        Assert.StartsWith("6.1.0-", r.GetProperty("kernel_release").GetString());
        if (release.Length > 0) Assert.Equal(release, r.GetProperty("kernel_release").GetString());
        Assert.Equal(cpus, r.GetProperty("cpus").GetInt32());
        Assert.Equal(loads, r.GetProperty("pt_load_count").GetInt32());
        Assert.Equal(4096, r.GetProperty("page_size").GetInt32());
    }

    public static IEnumerable<object[]> CrashFormats() =>
        new[] { "kdump-zlib", "kdump-lzo", "kdump-snappy", "kdump-zstd", "flat-zlib", "flat-zstd", "elf", "kdump-zlib-d1", "elf-d1", "kdump-zlib-d31", "elf-d31" }.Select(n => new object[] { n });

    [SkippableTheory]
    [MemberData(nameof(CrashFormats))]
    public void Crash_OpensEveryOutput_SysLogKmem(string name)
    {
        var path = outputs.Get(name);
        var r = RealTools.Crash(path, "sys", "log", "kmem -i");
        Assert.Matches(@"RELEASE: 6\.1\.0-", r.All);
        Assert.Contains("Linux version 6.1.0", r.All);   // log
        Assert.Contains("TOTAL MEM", r.All);              // kmem -i
        Assert.DoesNotContain("page excluded", r.All);
        Assert.DoesNotContain("uncompress failed", r.All);
    }

    [SkippableFact]
    public void Crash_OpensRawImageAtAddressZero()
    {
        // A raw image carries no KASLR facts: crash takes them from the command line, and the
        // sidecar's VMCOREINFO (in its notes) gives them.
        var path = outputs.Get("raw");
        using var raw = DumpProbe.Open(path);
        var vi = raw.VmcoreInfo!;
        var r = RealTools.CrashWith([$"--kaslr=0x{vi.KernelOffset:x}", "-m", $"phys_base=0x{vi.PhysBase:x}"], path + "@0", "sys", "log");
        Assert.Matches(@"RELEASE: 6\.1\.0-", r.All);
        Assert.Contains("Linux version 6.1.0", r.All);
    }

    [SkippableTheory]
    [InlineData("kdump-zlib")]
    [InlineData("kdump-lzo")]
    [InlineData("kdump-snappy")]
    [InlineData("kdump-zstd")]
    [InlineData("elf")]
    public void Libkdumpfile_ReadsEveryPageEqualToSource(string name)
    {
        var r = RealTools.LibkdumpfileSamePages(RealTools.FixtureFile("vmcore.fixed.elf"), outputs.Get(name));
        Assert.Contains("release=6.1.0-", r.Stdout);
    }

    [SkippableTheory]
    [InlineData("kdump-zlib")]
    [InlineData("kdump-zstd")]
    public void Drgn_OpensKdumpOutput(string name)
    {
        var r = RealTools.Python(RealTools.Script("check_drgn.py"), [outputs.Get(name), RealTools.Vmlinux()]).Ok("check_drgn.py");
        Assert.Contains("release=6.1.0-", r.Stdout);
        // The task count is the boot's: the oracle is drgn on makedumpfile's own -d 0 file of the same fixture.
        Assert.Equal(DrgnTasks(MakedumpfileLevel0(outputs)), Tasks(r.Stdout));
    }

    internal static string Tasks(string drgnOutput)
    {
        var m = System.Text.RegularExpressions.Regex.Match(drgnOutput, @"tasks=(\d+)");
        Assert.True(m.Success && int.Parse(m.Groups[1].Value) > 0, "drgn listed no tasks: " + drgnOutput);
        return m.Value;
    }

    internal static string DrgnTasks(string dump) =>
        Tasks(RealTools.Python(RealTools.Script("check_drgn.py"), [dump, RealTools.Vmlinux()]).Ok("check_drgn.py " + dump).Stdout);

    /// <summary>makedumpfile -c -d 0 of the fixture, made once per class fixture: an oracle file that drgn reads.</summary>
    internal static string MakedumpfileLevel0(ConvertedOutputs outputs)
    {
        var f = outputs.Dir.File("md-oracle-d0.kdump");
        if (!File.Exists(f))
            RealTools.Run(RealTools.Tool("makedumpfile"), ["-c", "-d", "0", RealTools.FixtureFile("vmcore.fixed.elf"), f], timeoutSeconds: 600)
                .Ok("makedumpfile -c -d 0");
        return f;
    }

    [SkippableTheory]
    [InlineData("elf", "-c")]
    [InlineData("kdump-zlib", "-c")]
    [InlineData("kdump-lzo", "-l")]
    public void Makedumpfile_AcceptsOurOutputAsInput(string name, string codec)
    {
        var md = RealTools.Tool("makedumpfile");
        var outp = outputs.Dir.File($"md-from-{name}.kdump");
        File.Delete(outp);
        RealTools.Run(md, [codec, "-d", "31", outputs.Get(name), outp], timeoutSeconds: 300).Ok("makedumpfile " + codec);
        using var k = DumpProbe.Open(outp);
        Assert.StartsWith("6.1.0-", k.VmcoreInfo!.OsRelease);
    }

    private string LzoLevel31(string src)
    {
        var f = outputs.Dir.File("md-oracle-l-d31.kdump");
        if (!File.Exists(f)) RealTools.Run(RealTools.Tool("makedumpfile"), ["-l", "-d", "31", src, f], timeoutSeconds: 300).Ok("makedumpfile -l -d 31");
        return f;
    }

    [SkippableFact]
    public void ReadsQemuKdumpFlatAndRearranged_SamePagesAsElf()
    {
        using var elf = DumpProbe.Open(RealTools.FixtureFile("vmcore.elf"));
        using var flat = DumpProbe.Open(RealTools.FixtureFile("vmcore.kdump-zlib.flat"));
        using var plain = DumpProbe.Open(RealTools.FixtureFile("vmcore.kdump-zlib"));
        Assert.Equal(DumpFormat.Flattened, flat.Header.Format);
        Builders.Convert.AssertSamePages(elf, flat);
        Builders.Convert.AssertSamePages(elf, plain);
    }

    [SkippableTheory]
    [InlineData("-c")]
    [InlineData("-l")]
    [InlineData("-E")]
    [InlineData("-F -c")]
    public void ReadsMakedumpfileOutputs_PagesEqualSource(string flags)
    {
        var md = RealTools.Tool("makedumpfile");
        var src = RealTools.FixtureFile("vmcore.fixed.elf");
        var outp = outputs.Dir.File("md" + flags.Replace(" ", "").Replace("-", "_"));
        File.Delete(outp);
        var args = flags.Split(' ').Concat(["-d", "31", src]).ToList();
        // -F writes the stream to stdout: a shell captures it into a file.
        var r = flags.Contains("-F")
            ? RealTools.Run("/bin/sh", ["-c", $"{md} {string.Join(' ', args)} > {outp}"], timeoutSeconds: 300)
            : RealTools.Run(md, args.Append(outp), timeoutSeconds: 300);
        r.Ok("makedumpfile " + flags);
        using var a = DumpProbe.Open(src);
        using var b = DumpProbe.Open(outp);
        // -d 31 drops pages: every page the output holds must equal the source.
        int ps = 4096;
        var pa = new byte[ps];
        var pb = new byte[ps];
        ulong n = 0;
        foreach (var range in b.PresentRanges())
            for (ulong p = range.Start; p < range.End; p++)
            {
                Assert.Equal(PageStatus.Present, b.ReadPage(p, pb));
                Assert.Equal(PageStatus.Present, a.ReadPage(p, pa));
                Assert.True(pa.AsSpan().SequenceEqual(pb), $"pfn {p}");
                n++;
            }
        // As many pages as the file holds by an independent reading: kdumppfns.py's bitmap count of
        // makedumpfile's -d 31 kdump (the flattened stream holds the same), readelf's file-backed bytes of its ELF.
        long expected = flags == "-E" ? CaptureKernelTests.FileBackedPages(outp, ps) : RealTools.DumpedPfns(LzoLevel31(src));
        Assert.Equal(expected, (long)n);
    }
}
