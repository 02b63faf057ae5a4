using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Packaging;

/// <summary>
/// The packages installed and removed with dpkg in a throwaway Debian 12 system, as a user would:
/// hvdump runs, `man hvdump` shows its page, makedumpfile becomes hvdump through the diversion, and
/// removing hvdump-makedumpfile gives Debian's makedumpfile 1.7.2 its path back — also when
/// Debian's makedumpfile is installed only after ours.
/// </summary>
[Collection(DebPackagesCollection.Name)]
public sealed class DebInstallTests(DebPackages debs)
{
    private const string Diverted = "diversion of /usr/bin/makedumpfile to /usr/bin/makedumpfile.distrib by hvdump-makedumpfile";

    [SkippableFact]
    public void InstallThenRemove_MakedumpfileIsHvdump_ThenDebiansAgain()
    {
        string hv = debs.Hvdump, md = debs.Makedumpfile; // built before the root is unpacked
        using var deb = new ThrowawayDebian();
        Assert.Contains("makedumpfile: version 1.7.2", deb.Ok("makedumpfile -v"));

        deb.Ok($"dpkg -i {deb.Copy(hv)} {deb.Copy(md)}");
        var version = deb.Ok("hvdump --version");
        Assert.Matches(@"^hvdump \d+(\.\d+)*\+[0-9a-f]{40}\n", version);
        // The minbase system has no liblzo2 nor libdeflate: these answer from inside the binary.
        Assert.Contains("lzo\tenabled (liblzo2)", version);
        Assert.Contains("zlib\tenabled (libdeflate)", version);
        Assert.Contains("hvdump - read, convert, filter, verify and save Linux crash dumps", deb.Ok("MANWIDTH=100 man hvdump"));
        Assert.Contains("makedumpfile: version 1.7.2 compatible (hvdump)", deb.Ok("makedumpfile -v"));
        Assert.Contains(Diverted, deb.Ok("dpkg-divert --list"));
        Assert.Contains("makedumpfile: version 1.7.2 (released", deb.Ok("/usr/bin/makedumpfile.distrib -v"));
        Assert.Contains("HVDUMP(1)", deb.Ok("MANWIDTH=100 man makedumpfile"));
        Assert.Contains("MAKEDUMPFILE(8)", deb.Ok("MANWIDTH=100 man makedumpfile.distrib"));

        // Installing again (dpkg's upgrade path) keeps the one diversion.
        deb.Ok($"dpkg -i /tmp/{Path.GetFileName(md)}");
        Assert.Contains("(hvdump)", deb.Ok("makedumpfile -v"));

        deb.Ok("dpkg -r hvdump-makedumpfile");
        var restored = deb.Ok("makedumpfile -v");
        Assert.Contains("makedumpfile: version 1.7.2 (released", restored);
        Assert.DoesNotContain("hvdump", restored);
        Assert.DoesNotContain("hvdump-makedumpfile", deb.Ok("dpkg-divert --list"));
        Assert.Equal("gone gone regular", deb.Ok("""
            for f in /usr/bin/makedumpfile.distrib /usr/share/man/man8/makedumpfile.distrib.8.gz; do [ -e $f ] && printf 'present ' || printf 'gone '; done
            [ -f /usr/share/man/man8/makedumpfile.8.gz ] && [ ! -L /usr/share/man/man8/makedumpfile.8.gz ] && echo regular
            """).Trim());

        deb.Ok("dpkg -r hvdump");
        Assert.Equal("gone", deb.Ok("[ -e /usr/bin/hvdump ] && echo present || echo gone").Trim());
    }

    [SkippableFact]
    public void Diversion_CatchesAMakedumpfileInstalledAfterOurs()
    {
        string hv = debs.Hvdump, md = debs.Makedumpfile;
        using var deb = new ThrowawayDebian();
        deb.Ok("dpkg -r makedumpfile");
        deb.Ok($"dpkg -i {deb.Copy(hv)} {deb.Copy(md)}");
        Assert.Contains("(hvdump)", deb.Ok("makedumpfile -v"));

        // Debian's makedumpfile arrives later (kdump-tools recommends it): it lands beside ours.
        deb.Ok("dpkg -i /var/tmp/debs/makedumpfile_*.deb");
        Assert.Contains("makedumpfile: version 1.7.2 compatible (hvdump)", deb.Ok("makedumpfile -v"));
        Assert.Contains("makedumpfile: version 1.7.2 (released", deb.Ok("/usr/bin/makedumpfile.distrib -v"));

        deb.Ok("dpkg -r hvdump-makedumpfile");
        Assert.Contains("makedumpfile: version 1.7.2 (released", deb.Ok("makedumpfile -v"));
        Assert.Equal("gone", deb.Ok("[ -e /usr/bin/makedumpfile.distrib ] && echo present || echo gone").Trim());
    }
}
