using System.Reflection;
using HvDumpKit.Reader.Codecs;

namespace HvDumpKit.Cli;

/// <summary>
/// `hvdump --version`: the version and which codecs work in this process — in a bare initramfs
/// the question is not what was built but what answers here.
/// </summary>
public static class VersionText
{
    /// <summary>The informational version the build stamped (project version, and the commit when known).</summary>
    public static string Version =>
        typeof(VersionText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";

    public static int Print(TextWriter stdout)
    {
        stdout.WriteLine($"hvdump {Version}");
        var (libdeflate, systemZlib) = ZlibPageCodec.NativeEngines;
        string zlib = libdeflate ? "libdeflate" : systemZlib ? "zlib" : "the runtime's zlib-ng";
        stdout.WriteLine($"zlib\tenabled ({zlib})");
        stdout.WriteLine($"lzo\t{(LzoPageCodec.IsAvailable() ? "enabled (liblzo2)" : "disabled (liblzo2 not found)")}");
        stdout.WriteLine("snappy\tenabled (managed)");
        stdout.WriteLine("zstd\tenabled (managed)");
        return ExitCodes.Ok;
    }
}
