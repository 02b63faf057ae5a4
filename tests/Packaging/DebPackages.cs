using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Packaging;

/// <summary>
/// The two .debs as scripts/build-deb.sh builds them from this commit, built once for all the
/// packaging tests, and the hvdump package unpacked (dpkg-deb -x) for the tests that read its files.
/// Building may publish the NativeAOT binary (minutes), so these are end-to-end tests: skipped
/// without HVDUMP_E2E=1, and with it a missing tool is a failure naming it. One collection for all
/// the packaging tests: build-deb.sh rewrites artifacts/, so it runs once, not once per class.
/// </summary>
public sealed class DebPackages : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Lazy<(string Hvdump, string Makedumpfile)> _built;

    public DebPackages() => _built = new Lazy<(string, string)>(Build);

    /// <summary>artifacts/hvdump_VERSION_amd64.deb</summary>
    public string Hvdump => Get().Hvdump;

    /// <summary>artifacts/hvdump-makedumpfile_VERSION_all.deb</summary>
    public string Makedumpfile => Get().Makedumpfile;

    /// <summary>The hvdump package's files, as dpkg would install them, under this directory.</summary>
    public string Unpacked
    {
        get
        {
            Get();
            return UnpackDir;
        }
    }

    /// <summary>The packaged /usr/bin/hvdump.</summary>
    public string Binary => Path.Combine(Unpacked, "usr/bin/hvdump");

    private string UnpackDir => Path.Combine(_dir.Path, "hvdump");

    private (string Hvdump, string Makedumpfile) Get()
    {
        Skip.IfNot(RealTools.Required, "the packaging tests build the .debs (and may publish hvdump): set HVDUMP_E2E=1, as scripts/test.sh does");
        foreach (var tool in new[] { "dpkg-deb", "dpkg-shlibdeps", "objcopy", "git" }) RealTools.Tool(tool);
        return _built.Value;
    }

    private (string, string) Build()
    {
        var r = RealTools.Run("/bin/bash", [Path.Combine(Repo.Root, "scripts", "build-deb.sh")], timeoutSeconds: 1800).Ok("scripts/build-deb.sh");
        var debs = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(debs.Length == 2, "build-deb.sh should print the two packages' paths: " + r.Stdout);
        Assert.All(debs, d => Assert.True(File.Exists(d), d));
        RealTools.Run(RealTools.Tool("dpkg-deb"), ["-x", debs[0], UnpackDir]).Ok("dpkg-deb -x " + debs[0]);
        return (debs[0], debs[1]);
    }

    /// <summary>`dpkg-deb -f DEB FIELD`</summary>
    public static string Field(string deb, string field) =>
        RealTools.Run(RealTools.Tool("dpkg-deb"), ["-f", deb, field]).Ok($"dpkg-deb -f {deb} {field}").Stdout.Trim();

    /// <summary>The version the package's name and control file should carry: UPSTREAM+gitN.gSHA of HEAD.</summary>
    public static string ExpectedVersion(string upstream)
    {
        string Git(params string[] args) => RealTools.Run(RealTools.Tool("git"), ["-C", Repo.Root, .. args]).Ok("git " + string.Join(' ', args)).Stdout.Trim();
        return $"{upstream}+git{Git("rev-list", "--count", "HEAD")}.g{Git("rev-parse", "--short=7", "HEAD")}";
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DebPackagesCollection : ICollectionFixture<DebPackages>
{
    public const string Name = "debian packages";
}
