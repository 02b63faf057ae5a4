using System.Reflection;
using HvDumpKit.Reader.Codecs;

namespace HvDumpKit.Cli;

/// <summary>
/// `hvdump --version`: the version and which codecs work in this process — in a bare initramfs
/// the question is not what was built but what answers here.
/// </summary>
public static class VersionText
{
    public static int Print(TextWriter stdout)
    {
        var v = typeof(VersionText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        stdout.WriteLine($"hvdump {v}");
        var (libdeflate, systemZlib) = ZlibPageCodec.NativeEngines;
        string zlib = libdeflate ? "libdeflate" : systemZlib ? "zlib" : "the runtime's zlib-ng";
        stdout.WriteLine($"zlib\tenabled ({zlib})");
        stdout.WriteLine($"lzo\t{(LzoPageCodec.IsAvailable() ? "enabled (liblzo2)" : "disabled (liblzo2 not found)")}");
        stdout.WriteLine("snappy\tenabled (managed)");
        stdout.WriteLine("zstd\tenabled (managed)");
        return ExitCodes.Ok;
    }
}
