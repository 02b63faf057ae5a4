using HvDumpKit.Tests.Builders;
using HvDumpKit.Tests.EndToEnd;
using Xunit;

namespace HvDumpKit.Tests.Packaging;

/// <summary>
/// A Debian 12 minbase system with Debian's makedumpfile and man-db, unpacked fresh from the cached
/// tarball (scripts/make-bookworm-root.sh) for one test and removed after it. Commands run in it
/// with chroot inside a private mount namespace holding its own /proc (hvdump reads
/// /proc/self/cmdline to learn the name it was invoked by), so nothing is left mounted on the host.
/// </summary>
public sealed class ThrowawayDebian : IDisposable
{
    private readonly TempDir _dir = new();

    public ThrowawayDebian()
    {
        Skip.IfNot(RealTools.Required, "the install round trip needs root and a Debian 12 root: set HVDUMP_E2E=1, as scripts/test.sh does");
        var tarball = RealTools.CacheFile("bookworm-minbase.tar.gz", "scripts/make-bookworm-root.sh");
        RealTools.Need(Environment.UserName == "root", "root (dpkg and chroot in the throwaway Debian system)");
        foreach (var tool in new[] { "unshare", "chroot", "tar" }) RealTools.Tool(tool);
        Root = _dir.Path;
        RealTools.Run(RealTools.Tool("tar"), ["-C", Root, "--numeric-owner", "-xzf", tarball], timeoutSeconds: 600).Ok("tar -x " + tarball);
        // man-db's trigger runs mandb as the user man, which must reach the root's files.
        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public string Root { get; }

    /// <summary>Copies a host file into the system's /tmp; returns its path there.</summary>
    public string Copy(string hostFile)
    {
        File.Copy(hostFile, Path.Combine(Root, "tmp", Path.GetFileName(hostFile)), overwrite: true);
        return "/tmp/" + Path.GetFileName(hostFile);
    }

    /// <summary>Runs a shell command inside the system.</summary>
    public RealTools.Result Run(string command)
    {
        const string Enter = """mount -t proc proc "$1/proc" && exec chroot "$1" /bin/sh -c "$2" """;
        return RealTools.Run(RealTools.Tool("unshare"), ["--mount", "--propagation", "private", "--fork", "/bin/sh", "-c", Enter, "sh", Root, command],
            timeoutSeconds: 600);
    }

    /// <summary>Runs a command that must succeed; returns its stdout and stderr together.</summary>
    public string Ok(string command) => Run(command).Ok("in the Debian 12 root: " + command).All;

    public void Dispose() => _dir.Dispose();
}
