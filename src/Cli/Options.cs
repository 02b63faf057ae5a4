using CommandLine;

namespace HvDumpKit.Cli;

/// <summary>A verb that reads age-encrypted dumps: --identity repeats (Program.Parse adds the later ones).</summary>
public interface IIdentityOptions
{
    IEnumerable<string> Identity { get; set; }
}

/// <summary>A verb that writes age-encrypted dumps: --encrypt-to and --encrypt-to-file repeat (owner plus escrow).</summary>
public interface IRecipientOptions
{
    IEnumerable<string> EncryptTo { get; set; }
    IEnumerable<string> EncryptToFile { get; set; }
}

[Verb("info", HelpText = "Describe a dump: format, arch, page size, kernel, CPUs, segments, notes, VMCOREINFO, regions.")]
public sealed class InfoOptions : IIdentityOptions
{
    [Option("identity", Max = 1, HelpText = "age identity file (AGE-SECRET-KEY-1…) to read an age-encrypted dump; repeatable.")]
    public IEnumerable<string> Identity { get; set; } = [];

    [Option("vmcoreinfo",
        HelpText =
        "VMCOREINFO to use instead of the dump's own (text as makedumpfile -g writes it, or the kernel's ELF note), like makedumpfile " +
        "-i; for dumps that lack it, e.g. QEMU's pseries dumps.")]
    public string? VmcoreInfo { get; set; }

    [Value(0, MetaName = "DUMP", Required = true, HelpText = "ELF vmcore, kdump-compressed, flattened or raw image.")]
    public string Dump { get; set; } = "";

    [Option("region-map", HelpText = "Region map to parse and relate to the dump (release_region or fadump_region format).")]
    public string? RegionMap { get; set; }

    [Option("json", HelpText = "Machine-readable output.")]
    public bool Json { get; set; }
}

[Verb("convert", HelpText = "Convert any dump format to raw, ELF, kdump-compressed or flattened.")]
public sealed class ConvertOptions : IIdentityOptions, IRecipientOptions
{
    [Option("identity", Max = 1, HelpText = "age identity file (AGE-SECRET-KEY-1…) to read an age-encrypted dump; repeatable.")]
    public IEnumerable<string> Identity { get; set; } = [];

    [Option("encrypt-to", Max = 1,
        HelpText = "Encrypt the output with age to this X25519 recipient (age1…); repeatable (owner plus escrow).")]
    public IEnumerable<string> EncryptTo { get; set; } = [];

    [Option("encrypt-to-file", Max = 1,
        HelpText = "Encrypt to every recipient in this age recipients file (one age1… per line, # comments); repeatable.")]
    public IEnumerable<string> EncryptToFile { get; set; } = [];

    [Option("vmcoreinfo",
        HelpText =
        "VMCOREINFO to use instead of the dump's own (text as makedumpfile -g writes it, or the kernel's ELF note), like makedumpfile " +
        "-i; for dumps that lack it, e.g. QEMU's pseries dumps.")]
    public string? VmcoreInfo { get; set; }

    [Value(0, MetaName = "IN", Required = true, HelpText = "Input dump (any supported format).")]
    public string Input { get; set; } = "";

    [Value(1, MetaName = "OUT", Required = true, HelpText = "Output file; '-' writes a flattened stream to stdout.")]
    public string Output { get; set; } = "";

    [Option('f', "format", Default = "kdump", HelpText = "raw | elf | kdump | flat")]
    public string Format { get; set; } = "kdump";

    [Option('c', "compress", HelpText = "zlib | lzo | snappy | zstd | none (kdump and flat; default zstd)")]
    public string? Compress { get; set; }

    [Option("compress-level",
        HelpText = "Codec level (zlib 1–12 with libdeflate, else 1–9; zstd 1–19). Default: zlib 2 with libdeflate (else 1), zstd 1.")]
    public int? CompressLevel { get; set; }

    [Option('d', "dump-level", Default = 0,
        HelpText = "makedumpfile dump level 0–31: 1 zero, 2 cache, 4 private cache, 8 user, 16 free pages.")]
    public int DumpLevel { get; set; }

    [Option("stats", HelpText = "Print makedumpfile's page-class report (--message-level 31 shape) on stderr.")]
    public bool Stats { get; set; }

    [Option("threads", HelpText = "Compression threads (default: all cores).")]
    public int? Threads { get; set; }

    [Option("memory", HelpText = "Buffer budget for page batches, e.g. 4M (default 2M).")]
    public string? Memory { get; set; }

    [Option("force", HelpText = "Overwrite an existing output.")]
    public bool Force { get; set; }

    [Option("sync", HelpText = "fsync the output before renaming it into place (makedumpfile does not).")]
    public bool Sync { get; set; }

    [Option("json", HelpText = "Print the summary as JSON.")]
    public bool Json { get; set; }
}

[Verb("dmesg", HelpText = "Print the kernel log (printk ring buffer) of a dump, as makedumpfile --dump-dmesg does.")]
public sealed class DmesgOptions : IIdentityOptions
{
    [Option("identity", Max = 1, HelpText = "age identity file (AGE-SECRET-KEY-1…) to read an age-encrypted dump; repeatable.")]
    public IEnumerable<string> Identity { get; set; } = [];

    [Option("vmcoreinfo",
        HelpText =
        "VMCOREINFO to use instead of the dump's own (text as makedumpfile -g writes it, or the kernel's ELF note), like makedumpfile " +
        "-i; for dumps that lack it, e.g. QEMU's pseries dumps.")]
    public string? VmcoreInfo { get; set; }

    [Value(0, MetaName = "DUMP", Required = true, HelpText = "Any supported dump.")]
    public string Dump { get; set; } = "";

    [Value(1, MetaName = "OUT", Required = false, HelpText = "Write the log to this file (created 0600) instead of stdout.")]
    public string? Output { get; set; }

    [Option("caller", HelpText = "Show the caller id after the timestamp as makedumpfile 1.7.5+ does: [    T123] task, [      C4] CPU.")]
    public bool Caller { get; set; }

    [Option("json", HelpText = "One JSON object: records with sequence, timestamp, level, facility, caller, text.")]
    public bool Json { get; set; }

    [Option("force", HelpText = "Overwrite an existing OUT.")]
    public bool Force { get; set; }
}

[Verb("verify", HelpText = "Check a dump's structure and every page; with --golden, compare it page by page with a manifest.")]
public sealed class VerifyOptions : IIdentityOptions
{
    [Option("identity", Max = 1, HelpText = "age identity file (AGE-SECRET-KEY-1…) to read an age-encrypted dump; repeatable.")]
    public IEnumerable<string> Identity { get; set; } = [];

    [Value(0, MetaName = "DUMP", Required = true, HelpText = "Any supported dump.")]
    public string Dump { get; set; } = "";

    [Option("golden", HelpText = "Manifest (NAME.json from `hvdump manifest`) to compare against.")]
    public string? Golden { get; set; }

    [Option("threads", HelpText = "Reader threads (default: all cores).")]
    public int? Threads { get; set; }

    [Option("json", HelpText = "Machine-readable report.")]
    public bool Json { get; set; }
}

[Verb("manifest", HelpText = "Write a golden file: per-page XxHash3 digests, PFN set, note and VMCOREINFO digests.")]
public sealed class ManifestOptions : IIdentityOptions
{
    [Option("identity", Max = 1, HelpText = "age identity file (AGE-SECRET-KEY-1…) to read an age-encrypted dump; repeatable.")]
    public IEnumerable<string> Identity { get; set; } = [];

    [Value(0, MetaName = "DUMP", Required = true, HelpText = "Any supported dump.")]
    public string Dump { get; set; } = "";

    [Option('o', "output", Required = true, HelpText = "Base name: writes NAME.json and NAME.digests.")]
    public string Output { get; set; } = "";

    [Option("threads", HelpText = "Reader threads (default: all cores).")]
    public int? Threads { get; set; }

    [Option("force", HelpText = "Overwrite existing files.")]
    public bool Force { get; set; }
}

[Verb("diff", HelpText = "Compare two dumps of any formats page by page, and their notes and VMCOREINFO.")]
public sealed class DiffOptions : IIdentityOptions
{
    [Option("identity", Max = 1, HelpText = "age identity file (AGE-SECRET-KEY-1…) to read an age-encrypted dump; repeatable.")]
    public IEnumerable<string> Identity { get; set; } = [];

    [Value(0, MetaName = "A", Required = true)]
    public string A { get; set; } = "";

    [Value(1, MetaName = "B", Required = true)]
    public string B { get; set; } = "";

    [Option("threads", HelpText = "Reader threads (default: all cores).")]
    public int? Threads { get; set; }

    [Option("json", HelpText = "Machine-readable report.")]
    public bool Json { get; set; }
}

[Verb("save", HelpText = "Capture a crashed system's dump into TARGET_DIR and give reserved memory back region by region.")]
public sealed class SaveOptions : IRecipientOptions
{
    [Option("encrypt-to", Max = 1,
        HelpText = "Encrypt the output with age to this X25519 recipient (age1…); repeatable (owner plus escrow).")]
    public IEnumerable<string> EncryptTo { get; set; } = [];

    [Option("encrypt-to-file", Max = 1,
        HelpText = "Encrypt to every recipient in this age recipients file (one age1… per line, # comments); repeatable.")]
    public IEnumerable<string> EncryptToFile { get; set; } = [];

    [Option("vmcoreinfo",
        HelpText =
        "VMCOREINFO to use instead of the dump's own (text as makedumpfile -g writes it, or the kernel's ELF note), like makedumpfile " +
        "-i; for dumps that lack it, e.g. QEMU's pseries dumps.")]
    public string? VmcoreInfo { get; set; }

    [Value(0, MetaName = "TARGET_DIR", Required = true,
        HelpText = "Directory that receives <host>-<date>/vmcore, vmcore-dmesg.txt and status.json.")]
    public string Target { get; set; } = "";

    [Option("vmcore", Default = "/proc/vmcore", HelpText = "The dump to save.")]
    public string Vmcore { get; set; } = "/proc/vmcore";

    [Option("region-map", HelpText = "Region map (default /sys/kernel/release_region, else FADump's debugfs fadump_region).")]
    public string? RegionMap { get; set; }

    [Option("release-file", HelpText = "Where releases are written (default /sys/kernel/release_region, or FADump's release_mem).")]
    public string? ReleaseFile { get; set; }

    [Option('c', "compress", Default = "lzo", HelpText = "zlib | lzo | snappy | zstd | none (default lzo: fastest back to production).")]
    public string Compress { get; set; } = "lzo";

    [Option('d', "dump-level", Default = 31, HelpText = "makedumpfile dump level (default 31, as the distros).")]
    public int DumpLevel { get; set; } = 31;

    [Option("no-release", HelpText = "Save only; never write the release file.")]
    public bool NoRelease { get; set; }

    [Option("dry-run", HelpText = "Save, and record the releases that would be made without writing them.")]
    public bool DryRun { get; set; }

    [Option("checkpoint", Default = 16384, HelpText = "Pages between durability checkpoints (each is an fsync and a chance to release).")]
    public int Checkpoint { get; set; } = 16384;

    [Option("json", HelpText = "Print the final status JSON on stdout.")]
    public bool Json { get; set; }

    [Option('f', "format", Default = "kdump",
        HelpText =
        "kdump (kdump-compressed, default) | flat (makedumpfile -F stream in a file) | elf (ELF vmcore, uncompressed; for gdb and drgn) " +
        "| raw (memory image + .json sidecar).")]
    public string Format { get; set; } = "kdump";

    [Option("resume",
        HelpText =
        "Go on with the newest unfinished save under TARGET_DIR (after a kill or power cut), from its journal; starts a new save when " +
        "there is none.")]
    public bool Resume { get; set; }
}
