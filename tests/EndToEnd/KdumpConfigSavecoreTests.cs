using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Debian's own kdump-tools 1.8.1 `kdump-config savecore`, unmodified, with `makedumpfile`
/// resolving to hvdump and /proc/vmcore replaced by a real vmcore. kdump-config resets PATH to
/// the system directories, so the shim is bind-mounted over /usr/bin/makedumpfile, and /proc is a
/// tmpfs of links into a real procfs plus a vmcore bind mount — all inside a private mount
/// namespace (unshare -m), so the host sees none of it.
/// </summary>
[Collection("real vmcore")]
public sealed class KdumpConfigSavecoreTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const string Namespace = """
        set -e
        W=$1; VMCORE=$2; KDUMP_CONFIG=$3
        mkdir -p "$W/realproc" "$W/crash"
        mount -t proc proc "$W/realproc"
        mount -t tmpfs tmpfs /proc
        for e in "$W"/realproc/*; do ln -s "$e" "/proc/${e##*/}"; done
        touch /proc/vmcore
        mount --bind "$VMCORE" /proc/vmcore
        mount --bind "$W/shim" /usr/bin/makedumpfile
        if [ -e /etc/default/kdump-tools ]; then mount --bind /dev/null /etc/default/kdump-tools; fi
        export KDUMP_COREDIR="$W/crash"
        exec "$KDUMP_CONFIG" savecore
        """;

    [SkippableFact]
    public void Savecore_WithHvdumpAsMakedumpfile_SavesTheDumpAndDmesgMakedumpfileWould()
    {
        var vmcore = RealTools.FixtureFile("vmcore.fixed.elf");
        var kdumpConfig = RealTools.CacheFile("kdump-tools/usr/sbin/kdump-config", "scripts/install-deps.sh");
        var md = RealTools.Tool("makedumpfile"); // the real one, outside the namespace, as the oracle
        string w = _dir.Path;
        Directory.CreateDirectory(Path.Combine(w, "bin"));
        var link = Path.Combine(w, "bin", "makedumpfile");
        File.CreateSymbolicLink(link, Path.Combine(AppContext.BaseDirectory, "hvdump"));
        // The shim records each call, so the test knows hvdump (not the real makedumpfile) ran.
        File.WriteAllText(Path.Combine(w, "shim"), $"#!/bin/sh\necho \"$*\" >> '{w}/calls'\nexec '{link}' \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(w, "shim"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(w, "ns.sh"), Namespace);

        var r = RealTools.Run(RealTools.Tool("unshare"), ["-m", "--propagation", "private", "/bin/sh", Path.Combine(w, "ns.sh"), w, vmcore, kdumpConfig], timeoutSeconds: 600);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("saved vmcore in", r.All);
        var calls = File.ReadAllLines(Path.Combine(w, "calls"));
        Assert.Equal(2, calls.Length);
        Assert.StartsWith($"--dump-dmesg /proc/vmcore {w}/crash/", calls[0]);
        Assert.Equal("-F -c -d 31 /proc/vmcore", calls[1]);

        var stampDir = Directory.GetDirectories(Path.Combine(w, "crash")).Single();
        var dump = Directory.GetFiles(stampDir, "dump.*").Single();
        var dmesg = Directory.GetFiles(stampDir, "dmesg.*").Single();
        Assert.Empty(Directory.GetFiles(stampDir, "dump-incomplete*"));

        // The saved dmesg equals makedumpfile's; the saved flattened dump, rearranged by the real
        // makedumpfile, dumps the same PFNs as its own -c -d 31 and opens in crash.
        var theirsDmesg = _dir.File("theirs.dmesg");
        RealTools.Run(md, ["--dump-dmesg", vmcore, theirsDmesg]).Ok("makedumpfile --dump-dmesg");
        Assert.Equal(File.ReadAllText(theirsDmesg), File.ReadAllText(dmesg));
        var rearranged = _dir.File("saved.kdump");
        var re = RealTools.Run(md, ["-R", rearranged], stdinFile: dump);
        Assert.True(re.ExitCode == 0, re.All);
        var theirs = _dir.File("theirs.kdump");
        RealTools.Run(md, ["-c", "-d", "31", vmcore, theirs]).Ok("makedumpfile -c -d 31");
        RealTools.SamePfns(rearranged, theirs);
        Assert.Matches(@"RELEASE: 6\.1\.0-", RealTools.Crash(rearranged, "sys").All);
    }
}
