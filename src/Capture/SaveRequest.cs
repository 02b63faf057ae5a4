using HvDumpKit.Reader.Codecs;
using HvDumpKit.Writers;

namespace HvDumpKit.Capture;

/// <summary>What `hvdump save` (or a systemd unit, or another program) asks a save to do.</summary>
public sealed record SaveRequest
{
    /// <summary>Directory that receives &lt;host&gt;-&lt;date&gt;/vmcore, vmcore-dmesg.txt and status.json.</summary>
    public required string Target { get; init; }
    public string Vmcore { get; init; } = "/proc/vmcore";
    /// <summary>VMCOREINFO file to read the dump with instead of its own (makedumpfile -i), else null.</summary>
    public string? VmcoreInfo { get; init; }
    /// <summary>Region map; null: release_region, else FADump's (ReleaseTargets).</summary>
    public string? RegionMap { get; init; }
    /// <summary>Where releases are written; null: the one that goes with the region map.</summary>
    public string? ReleaseFile { get; init; }
    public OutputFormat Format { get; init; } = OutputFormat.Kdump;
    public PageCompression Compression { get; init; } = PageCompression.Lzo;
    public int DumpLevel { get; init; } = 31;
    public bool NoRelease { get; init; }
    public bool DryRun { get; init; }
    /// <summary>Pages between durability checkpoints.</summary>
    public int CheckpointPages { get; init; } = 16384;
    /// <summary>Go on with the newest unfinished save of this dump under Target.</summary>
    public bool Resume { get; init; }
    /// <summary>age recipients the vmcore and its log are encrypted to (status.json stays plaintext), else null.</summary>
    public Reader.Crypto.Age.AgeRecipientSet? EncryptTo { get; init; }
    /// <summary>
    /// Called when the dump starts being written with the source that cancels it; what it returns
    /// is disposed when writing ends (hvdump save hooks SIGTERM and SIGINT here).
    /// </summary>
    public Func<CancellationTokenSource, IDisposable>? InterruptWhileWriting { get; init; }
}

/// <summary>How a save ended.</summary>
/// <param name="Ok">the dump is whole and every release succeeded</param>
/// <param name="StatusPath">the save's status.json</param>
/// <param name="AlreadyComplete">--resume found this dump saved whole: nothing was done</param>
public sealed record SaveResult(bool Ok, string StatusPath, bool AlreadyComplete, string Output = "", string Outcome = "",
    ulong BytesReleased = 0, int RangesReleased = 0);
