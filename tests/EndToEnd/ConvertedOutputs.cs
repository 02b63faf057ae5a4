using HvDumpKit.Tests.Builders;

namespace HvDumpKit.Tests.EndToEnd;

/// <summary>
/// Converts the real QEMU vmcore (as QEMU wrote it: program headers at 192) once into every
/// output format and codec, shared by the end-to-end test classes.
/// </summary>
public sealed class ConvertedOutputs : IDisposable
{
    private readonly Lazy<Dictionary<string, string>> _outputs;

    public ConvertedOutputs()
    {
        Dir = new TempDir();
        _outputs = new Lazy<Dictionary<string, string>>(Make);
    }

    public TempDir Dir { get; }
    public static readonly string[] Names = ["kdump-zlib", "kdump-lzo", "kdump-snappy", "kdump-zstd", "flat-zlib", "flat-zstd", "elf", "raw", "kdump-zlib-d1", "elf-d1", "kdump-zlib-d31", "elf-d31"];

    public string Get(string name) => _outputs.Value[name];

    private Dictionary<string, string> Make()
    {
        var src = RealTools.FixtureFile("vmcore.elf");
        var d = new Dictionary<string, string>();
        foreach (var n in Names)
        {
            var path = Dir.File(n + ".out");
            var parts = n.Split('-');
            var args = new List<string> { "convert", src, path, "--format", parts[0], "--force" };
            if (parts.Length > 1 && !parts[1].StartsWith('d')) args.AddRange(["--compress", parts[1]]);
            if (parts[^1].StartsWith('d')) args.AddRange(["--dump-level", parts[^1][1..]]);
            RealTools.Hvdump(args.ToArray());
            d[n] = path;
        }
        return d;
    }

    public void Dispose() => Dir.Dispose();
}
