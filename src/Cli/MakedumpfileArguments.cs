using System.Globalization;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Writers;

namespace HvDumpKit.Cli;

/// <summary>makedumpfile 1.7.2's command line, parsed as its getopt does (clusters, -d 31, --opt=value).</summary>
public sealed class MakedumpfileArguments
{
    private static readonly string[] Moot = ["--cyclic-buffer", "--work-dir", "--non-cyclic"];
    private static readonly string[] Refused = ["--eppic", "--config", "--xen-syms", "--xen-vmcoreinfo", "--xen_phys_start", "-X",
        "--diskset",
        "--mem-usage", "-g", "-e", "--exclude-xen-dom", "--vtop", "--partial-dmesg", "--check-params", "-N", "--extension", "-b",
            "--work-dir-size"];
    private static readonly string[] WithArgument = ["-d", "-L", "-i", "-x", "--num-threads", "--message-level", "--cyclic-buffer",
        "--work-dir", "--splitblock-size", "--encrypt-to", "--encrypt-to-file"];

    public PageCompression Compression = PageCompression.None;
    public bool Elf, Flat, Rearrange, Force, Debug, DryRun, ShowStats, Dmesg, Split, Reassemble;
    public List<int> Levels = [];
    public long? Limit;
    public string? VmcoreInfo, Vmlinux;
    public int? Threads;
    /// <summary>--num-threads 0 or unset: every core.</summary>
    public int ThreadCount => Threads is > 0 ? Threads.Value : MemoryPlan.Threads();
    public int MessageLevel = 7;
    public long SplitblockBytes = 1L << 30; // makedumpfile's default splitblock: 1 GiB
    public List<string> Positional = [];
    public List<string> MootSeen = [];
    /// <summary>Our own long options: age recipients for DUMPFILE or the -F stream.</summary>
    public List<string> EncryptTo = [], EncryptToFile = [];

    /// <summary>The operands a dump takes: VMCORE and DUMPFILE, VMCORE alone with -F, VMCORE and two or more with --split.</summary>
    public void CheckDumpOperands()
    {
        if (Split && Positional.Count < 3) throw new UsageException("--split needs VMCORE and at least two DUMPFILEs");
        if (!Split && Positional.Count != (Flat ? 1 : 2))
            throw new UsageException(Flat ? "-F takes VMCORE only (the stream goes to stdout)" : "VMCORE and DUMPFILE are required");
    }

    /// <summary>How a dump at one of the -d levels is written: -E pages as they are, else -c/-l/-p/-z's codec.</summary>
    public WriterOptions WriterOptions(int level) => new()
    {
        Compression = Elf ? PageCompression.None : Compression,
        CompressionLevel = PageCodecs.DefaultLevel(Compression),
        DumpLevel = level,
        Threads = ThreadCount,
        Durable = false,
    };

    public static MakedumpfileArguments Parse(string[] args)
    {
        var p = new MakedumpfileArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? value = null;
            if (a == "--")
            {
                // getopt's end of options: what follows is VMCORE and DUMPFILE even when it starts with '-'.
                p.Positional.AddRange(args[(i + 1)..]);
                break;
            }
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='))
            {
                value = a[(a.IndexOf('=') + 1)..];
                a = a[..a.IndexOf('=')];
            }
            if (Refused.Contains(a)) throw new UsageException($"option {a} is not supported by hvdump");
            if (a.StartsWith('-') && a.Length > 2 && !a.StartsWith("--", StringComparison.Ordinal))
            {
                // getopt clusters: -cF is -c -F; in -ld31 the d takes the rest, "31", as its argument.
                var expanded = new List<string>();
                for (int c = 1; c < a.Length; c++)
                {
                    string opt = "-" + a[c];
                    expanded.Add(opt);
                    if (WithArgument.Contains(opt))
                    {
                        if (c + 1 < a.Length) expanded.Add(a[(c + 1)..]);
                        break;
                    }
                }
                args = [.. args[..i], .. expanded, .. args[(i + 1)..]];
                i--;
                continue;
            }
            if (WithArgument.Contains(a) && value is null)
            {
                if (i + 1 >= args.Length) throw new UsageException($"option {a} requires an argument");
                value = args[++i];
            }
            switch (a)
            {
                case "-c": p.Compression = PageCompression.Zlib; break;
                case "-l": p.Compression = PageCompression.Lzo; break;
                case "-p": p.Compression = PageCompression.Snappy; break;
                case "-z": p.Compression = PageCompression.Zstd; break;
                case "-E": p.Elf = true; break;
                case "-F": p.Flat = true; break;
                case "-R": p.Rearrange = true; break;
                case "-f": p.Force = true; break;
                case "-D": p.Debug = true; break;
                case "--dry-run": p.DryRun = true; break;
                case "--show-stats": p.ShowStats = true; break;
                case "--dump-dmesg": p.Dmesg = true; break;
                case "--split": p.Split = true; break;
                case "--encrypt-to": p.EncryptTo.Add(value!); break;
                case "--encrypt-to-file": p.EncryptToFile.Add(value!); break;
                case "--reassemble": p.Reassemble = true; break;
                case "--non-mmap": Reader.IO.PlainFileInput.MmapVmcore = false; break; // read /proc/vmcore with read() only
                case "-h" or "--help" or "-v": break;
                case "-d":
                    foreach (var l in value!.Split(','))
                        p.Levels.Add(int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture,
                            out var lv) && lv <= 31 ? lv : throw new UsageException($"invalid dump level: {l}"));
                    break;
                case "-L": p.Limit = ParseBytes(value!); break;
                case "-i": p.VmcoreInfo = value; break;
                case "-x": p.Vmlinux = value; break;
                case "--splitblock-size":
                    p.SplitblockBytes = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) && kb > 0
                        ? kb << 10 : throw new UsageException($"invalid --splitblock-size: {value}");
                    break;
                case "--num-threads":
                    p.Threads = int.TryParse(value,
                    out var t) && t >= 0 ? t : throw new UsageException($"invalid --num-threads: {value}"); break;
                case "--message-level":
                    p.MessageLevel = int.TryParse(value,
                    out var m) ? m : throw new UsageException($"invalid --message-level: {value}"); break;
                default:
                    if (Moot.Contains(a)) { p.MootSeen.Add(a); break; }
                    if (a.StartsWith('-') && a != "-") throw new UsageException($"unrecognized option '{a}'");
                    p.Positional.Add(a);
                    break;
            }
        }
        if (p.Split && (p.Flat || p.Elf)) throw new UsageException($"--split cannot be used with {(p.Flat ? "-F" : "-E")}");
        if (p.Split && p.Reassemble) throw new UsageException("--split and --reassemble cannot be used together");
        if (p.Levels.Count == 0) p.Levels.Add(0);
        foreach (var path in p.Positional.Skip(p.Rearrange ? 0 : 1)) OutputPathGuard.Check(path, "DUMPFILE", args);
        return p;
    }

    /// <summary>-L SIZE: bytes, or with a K, M or G suffix.</summary>
    private static long ParseBytes(string s) => ByteSize.TryParse(s,
        trim: false) ?? throw new UsageException($"invalid -L size: {ByteSize.Number(s)}");
}
