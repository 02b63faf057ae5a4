using System.Text.RegularExpressions;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Packaging;

/// <summary>
/// What scripts/build-deb.sh builds, checked with Debian's own tools: the control fields and the
/// Depends the binary's NEEDED libraries call for, the files, lintian, systemd-analyze verify on the
/// unit as installed, and a man page and bash completion that know every verb and option the CLI
/// itself lists (so adding an option without documenting it fails here).
/// </summary>
[Collection(DebPackagesCollection.Name)]
public sealed partial class DebPackageTests(DebPackages debs)
{
    [GeneratedRegex(@"^hvdump (\d+(?:\.\d+)*)\+([0-9a-f]{40})$", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex Needed();

    // A verb line of `hvdump --help`: two spaces, the verb, its description.
    [GeneratedRegex(@"^  ([a-z]+)\s{2,}\S", RegexOptions.Multiline)]
    private static partial Regex VerbLine();

    // An option line of `hvdump VERB --help`: "  -f, --format   ..." or "  --json   ...".
    [GeneratedRegex(@"^  (?:(-[A-Za-z]), )?(--[a-z][a-z-]*)\s", RegexOptions.Multiline)]
    private static partial Regex OptionLine();

    // Options in the usage of `hvdump makedumpfile -h`.
    [GeneratedRegex(@"(?<![\w-])(--?[A-Za-z][a-z-]*)")]
    private static partial Regex UsageOption();

    [GeneratedRegex(@".\x08")]
    private static partial Regex Overstrike();

    private string Upstream()
    {
        var r = RealTools.Run(debs.Binary, ["--version"]).Ok("packaged hvdump --version");
        var m = VersionLine().Match(r.Stdout);
        Assert.True(m.Success, "hvdump --version: " + r.Stdout);
        return m.Groups[1].Value;
    }

    [SkippableFact]
    public void Control_VersionOfThisCommit_DependsOnlyOnWhatTheBinaryLoads()
    {
        string version = DebPackages.ExpectedVersion(Upstream());
        Assert.Equal("hvdump", DebPackages.Field(debs.Hvdump, "Package"));
        Assert.Equal(version, DebPackages.Field(debs.Hvdump, "Version"));
        Assert.Equal("amd64", DebPackages.Field(debs.Hvdump, "Architecture"));
        Assert.EndsWith($"/hvdump_{version}_amd64.deb", debs.Hvdump);
        Assert.Equal("utils", DebPackages.Field(debs.Hvdump, "Section"));
        Assert.Equal("optional", DebPackages.Field(debs.Hvdump, "Priority"));
        Assert.Matches(@"^\S.* <[^>]+@[^>]+>$", DebPackages.Field(debs.Hvdump, "Maintainer"));
        var description = DebPackages.Field(debs.Hvdump, "Description").Split('\n');
        Assert.True(description.Length > 5, "a long description: " + string.Join('\n', description));

        // Every NEEDED library of the packaged binary is libc6's (the codecs are linked in), and
        // Depends is libc6 alone, with the version dpkg-shlibdeps found for the symbols used.
        var needed = Needed().Matches(RealTools.Run(RealTools.Tool("readelf"), ["-d", debs.Binary]).Ok("readelf -d").Stdout)
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("libc.so.6", needed);
        foreach (var lib in needed)
        {
            var owners = RealTools.Run(RealTools.Tool("dpkg"), ["-S", "*/x86_64-linux-gnu/" + lib]).Ok("dpkg -S " + lib).Stdout
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(owners);
            Assert.All(owners, o => Assert.StartsWith("libc6:amd64: ", o));
        }
        Assert.Matches(@"^libc6 \(>= 2\.\d+\)$", DebPackages.Field(debs.Hvdump, "Depends"));

        Assert.Equal("hvdump-makedumpfile", DebPackages.Field(debs.Makedumpfile, "Package"));
        Assert.Equal(version, DebPackages.Field(debs.Makedumpfile, "Version"));
        Assert.Equal("all", DebPackages.Field(debs.Makedumpfile, "Architecture"));
        Assert.EndsWith($"/hvdump-makedumpfile_{version}_all.deb", debs.Makedumpfile);
        Assert.Equal($"hvdump (= {version})", DebPackages.Field(debs.Makedumpfile, "Depends"));
    }

    [SkippableFact]
    public void Contents_BinaryManPageCompletionUnitAndDocs_OwnedByRoot()
    {
        var hv = Contents(debs.Hvdump);
        Assert.Equal("-rwxr-xr-x", hv["usr/bin/hvdump"]);
        foreach (var f in new[] { "usr/share/man/man1/hvdump.1.gz", "usr/share/bash-completion/completions/hvdump",
            "usr/lib/systemd/system/hvdump-save.service", "usr/share/doc/hvdump/README.md.gz", "usr/share/doc/hvdump/copyright",
            "usr/share/doc/hvdump/changelog.gz", "usr/share/lintian/overrides/hvdump" })
            Assert.True(hv.TryGetValue(f, out var mode) && mode == "-rw-r--r--", $"{f}: {(mode ?? "missing")}");
        // Shipped, not enabled: no enablement link, and no maintainer script that would enable it.
        Assert.DoesNotContain(hv.Keys, k => k.StartsWith("etc/", StringComparison.Ordinal));
        var control = RealTools.Run(RealTools.Tool("dpkg-deb"), ["-I", debs.Hvdump]).Ok("dpkg-deb -I").Stdout;
        Assert.DoesNotContain("postinst", control);
        Assert.Contains("md5sums", control);

        var md = Contents(debs.Makedumpfile);
        Assert.Equal("lrwxrwxrwx -> hvdump", md["usr/bin/makedumpfile"]);
        Assert.Equal("lrwxrwxrwx -> ../man1/hvdump.1.gz", md["usr/share/man/man8/makedumpfile.8.gz"]);
        Assert.Contains("usr/share/doc/hvdump-makedumpfile/copyright", md.Keys);

        // The copyright file is machine-readable (DEP-5) and names the project's license.
        var copyright = File.ReadAllText(Path.Combine(debs.Unpacked, "usr/share/doc/hvdump/copyright"));
        Assert.StartsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/", copyright);
        Assert.Matches(@"(?m)^Files: \*\nCopyright: .+\nLicense: Expat$", copyright);
    }

    /// <summary>`dpkg-deb -c`: path → mode (and link target), every entry owned by root:root.</summary>
    private static Dictionary<string, string> Contents(string deb)
    {
        var d = new Dictionary<string, string>();
        foreach (var line in RealTools.Run(RealTools.Tool("dpkg-deb"), ["-c", deb]).Ok("dpkg-deb -c " + deb).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(f[1] == "root/root", $"{deb}: not root's: {line}");
            string path = f[5].TrimStart('.', '/');
            d[path] = f[0] + (f.Length > 7 && f[6] == "->" ? " -> " + f[7] : "");
        }
        return d;
    }

    [SkippableFact]
    public void Lintian_NoErrorsNoWarnings_OnBothPackages()
    {
        var r = RealTools.Run(RealTools.Tool("lintian"), [debs.Hvdump, debs.Makedumpfile], timeoutSeconds: 600);
        var tags = r.Stdout.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("W: ", StringComparison.Ordinal)).ToList();
        Assert.True(tags.Count == 0, "lintian:\n" + string.Join('\n', tags));
        Assert.True(r.ExitCode == 0, $"lintian exited {r.ExitCode}: {r.All}");
    }

    [SkippableFact]
    public void SystemdAnalyzeVerify_PassesOnTheUnitAsInstalled()
    {
        // verify resolves ExecStart's binaries and Documentation=man: pages: against the package's
        // own files (--root, MANPATH), plus coreutils' mkdir for ExecStartPre (Essential: on every
        // Debian system).
        string root = debs.Unpacked;
        File.Copy("/usr/bin/mkdir", Path.Combine(root, "usr/bin/mkdir"), overwrite: true);
        var r = RealTools.Run("/usr/bin/env", ["MANPATH=" + Path.Combine(root, "usr/share/man"), RealTools.Tool("systemd-analyze"), "verify",
            "--root=" + root, "/usr/lib/systemd/system/hvdump-save.service"]);
        Assert.True(r.ExitCode == 0 && r.All.Trim().Length == 0, $"systemd-analyze verify exited {r.ExitCode}: {r.All}");

        var unit = File.ReadAllLines(Path.Combine(root, "usr/lib/systemd/system/hvdump-save.service"));
        Assert.Contains("ConditionPathExists=/proc/vmcore", unit);
        Assert.Contains("ConditionPathExists=|/sys/kernel/fadump/release_mem", unit);
        Assert.Contains("ConditionPathExists=|/sys/kernel/release_region", unit);
        Assert.Contains("RequiresMountsFor=/var/crash", unit);
        Assert.Contains("ExecStart=/usr/bin/hvdump save --resume /var/crash", unit);
    }

    /// <summary>The verbs `hvdump --help` lists, and makedumpfile (argv[0] or `hvdump makedumpfile`).</summary>
    private List<string> Verbs()
    {
        var help = RealTools.Run(debs.Binary, ["--help"]).Ok("hvdump --help").Stdout;
        var verbs = VerbLine().Matches(help).Select(m => m.Groups[1].Value).Where(v => v is not ("help" or "version")).ToList();
        Assert.Contains("convert", verbs);
        Assert.Contains("save", verbs);
        return [.. verbs, "makedumpfile"];
    }

    /// <summary>The options a verb's own help lists (short and long), or makedumpfile's usage.</summary>
    private List<string> Options(string verb)
    {
        if (verb == "makedumpfile")
        {
            var usage = RealTools.Run(debs.Binary, ["makedumpfile", "-h"]).Ok("hvdump makedumpfile -h").Stdout;
            return UsageOption().Matches(usage).Select(m => m.Groups[1].Value).Distinct().ToList();
        }
        var help = RealTools.Run(debs.Binary, [verb, "--help"]).Ok($"hvdump {verb} --help").Stdout;
        var options = OptionLine().Matches(help).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value })
            .Where(o => o.Length > 0 && o is not ("--help" or "--version")).ToList();
        return options;
    }

    [SkippableFact]
    public void ManPage_RendersWithoutWarnings_AndDocumentsEveryVerbAndOption()
    {
        string page = Path.Combine(debs.Unpacked, "usr/share/man/man1/hvdump.1.gz");
        var man = RealTools.Tool("man");
        var check = RealTools.Run("/usr/bin/env", ["LC_ALL=C.UTF-8", "MANROFFSEQ=", "MANWIDTH=80", man, "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", page]);
        Assert.True(check.ExitCode == 0 && check.Stderr.Trim().Length == 0, $"man --warnings exited {check.ExitCode}: {check.Stderr}");

        var text = Overstrike().Replace(RealTools.Run("/usr/bin/env", ["LC_ALL=C.UTF-8", "MANWIDTH=200", man, "-l", page]).Ok("man -l").Stdout, "");
        var sections = Subsections(text);
        foreach (var verb in Verbs())
        {
            Assert.True(sections.TryGetValue(verb, out var body), $"hvdump(1) has no subsection for the verb {verb}; it has {string.Join(", ", sections.Keys)}");
            foreach (var option in Options(verb))
                Assert.True(Regex.IsMatch(body!, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])"), $"hvdump(1), {verb}: {option} is not documented");
        }
    }

    /// <summary>The rendered COMMANDS subsections (three-space headings) by their first word.</summary>
    private static Dictionary<string, string> Subsections(string text)
    {
        var d = new Dictionary<string, string>();
        string? current = null;
        var body = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 3 && line.StartsWith("   ", StringComparison.Ordinal) && line[3] != ' ')
            {
                if (current is not null) d[current] = string.Join('\n', body);
                current = line.Trim().Split(' ')[0];
                body.Clear();
            }
            else if (line.Length > 0 && line[0] != ' ' && current is not null)
            {
                d[current] = string.Join('\n', body);
                current = null;
            }
            else body.Add(line);
        }
        if (current is not null) d[current] = string.Join('\n', body);
        return d;
    }

    [SkippableFact]
    public void BashCompletion_CompletesEveryVerbAndItsOptions()
    {
        string completion = Path.Combine(debs.Unpacked, "usr/share/bash-completion/completions/hvdump");
        const string Complete = """
            source "$1"; shift
            COMP_WORDS=(hvdump "$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
            _hvdump; printf '%s\n' "${COMPREPLY[@]}"
            """;
        List<string> Words(params string[] words) =>
            [.. RealTools.Run("/bin/bash", ["-c", Complete, "bash", completion, .. words]).Ok("bash completion").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

        var verbs = Words("");
        foreach (var verb in Verbs())
        {
            Assert.Contains(verb, verbs);
            var options = Words(verb, "-");
            foreach (var option in Options(verb)) Assert.True(options.Contains(option), $"completion of 'hvdump {verb} -' lacks {option}");
        }
        Assert.Equal(["kdump", "flat", "elf", "raw"], Words("save", "--format", ""));
    }
}
