using System.Globalization;
using System.Text.Json;
using HvDumpKit.Reader;

namespace HvDumpKit.Capture;

/// <summary>
/// The save directory under a target: &lt;host&gt;-&lt;date&gt;, one per crash, and finding the
/// unfinished one of this crash to resume.
/// </summary>
public static class SaveDirectory
{
    /// <summary>A new save directory's path: &lt;host&gt;-&lt;local time&gt; under target.</summary>
    public static string NewPath(string target) =>
        Path.Combine(target, $"{Environment.MachineName}-{DateTime.Now.ToString("yyyy-MM-dd-HH:mm:ss", CultureInfo.InvariantCulture)}");

    /// <summary>
    /// Which crash a vmcore holds: a digest of its notes (VMCOREINFO with the crash time, and every
    /// CPU's registers at the crash) and its size in PFNs, so a resume never continues another dump's file.
    /// </summary>
    public static string DumpId(IDumpSource dump) =>
        $"{System.IO.Hashing.XxHash3.HashToUInt64(dump.Notes.Blob):x16}-{dump.MaxPfn:x}";

    /// <summary>
    /// The newest save directory (&lt;host&gt;-&lt;date&gt;) under target of this dump, and whether its
    /// status.json says complete. A directory without a readable status (a run killed right after
    /// creating it, or mid-write) is this dump's and unfinished; one naming another dump is skipped.
    /// </summary>
    public static (string? Dir, bool Complete) FindNewestOf(string target, string dumpId)
    {
        string prefix = Environment.MachineName + "-";
        foreach (var d in Directory.GetDirectories(target).Where(d => Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal))
                     .OrderByDescending(Directory.GetCreationTimeUtc))
        {
            var statusPath = Path.Combine(d, "status.json");
            if (!File.Exists(statusPath)) return (d, false);
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(statusPath));
                var root = doc.RootElement;
                if (root.TryGetProperty("dump_id", out var id) && id.GetString() != dumpId) continue;
                return (d, root.GetProperty("outcome").GetString() == "complete");
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return (d, false); // cut off mid-write: unfinished by definition
            }
        }
        return (null, false);
    }
}
