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
        Assert.Matches(@"kernel:\s+6\.1\.0-", text);
        Assert.Contains("CPUs:         2 (NT_PRSTATUS)", text);
        Assert.Contains("segments:     1 PT_NOTE, 2 PT_LOAD", text);
        Assert.Contains("page size:    4096", text);
        using var doc = JsonDocument.Parse(RealTools.Hvdump("info", src, "--json"));
        var r = doc.RootElement;
        Assert.StartsWith("6.1.0-", r.GetProperty("kernel_release").GetString());
        Assert.Equal(2, r.GetProperty("cpus").GetInt32());
        Assert.Equal(2, r.GetProperty("pt_load_count").GetInt32());
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
        RealTools.Need(File.Exists(RealTools.SystemPython), "/usr/bin/python3");
        var src = RealTools.FixtureFile("vmcore.fixed.elf");
        using var s = DumpProbe.Open(src);
        var script = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "check_pages_libkdumpfile.py");
        var r = RealTools.Run(RealTools.SystemPython, [script, src, outputs.Get(name), "131072"], timeoutSeconds: 600);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("release=6.1.0-", r.Stdout);
        Assert.Contains("same=131072 missing=0 differ=0", r.Stdout);
    }

    [SkippableTheory]
    [InlineData("kdump-zlib")]
    [InlineData("kdump-zstd")]
    public void Drgn_OpensKdumpOutput(string name)
    {
        RealTools.Need(File.Exists(RealTools.SystemPython), "/usr/bin/python3");
        var script = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "check_drgn.py");
        var r = RealTools.Run(RealTools.SystemPython, [script, outputs.Get(name), RealTools.Vmlinux()], timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("release=6.1.0-", r.Stdout);
        Assert.Matches(@"tasks=[1-9][0-9]", r.Stdout);
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
        var r = RealTools.Run(md, [codec, "-d", "31", outputs.Get(name), outp], timeoutSeconds: 300);
        Assert.True(r.ExitCode == 0, r.All);
        using var k = DumpProbe.Open(outp);
        Assert.StartsWith("6.1.0-", k.VmcoreInfo!.OsRelease);
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
        Assert.True(r.ExitCode == 0, r.All);
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
        Assert.True(n > 10000, $"only {n} pages");
    }
}
