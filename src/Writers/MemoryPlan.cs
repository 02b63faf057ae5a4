using System.Globalization;

namespace HvDumpKit.Writers;

/// <summary>
/// Threads and page-batch buffers sized from the memory the system has left (makedumpfile's lesson:
/// about 1 MiB per thread, and a capture kernel still runs out). Each worker holds a codec (zstd's
/// context is the largest, a few MiB), so a worker is granted only per 16 MiB available; batches
/// take at most 1/64 of what is available, never more than 2 MiB (more buys nothing on these
/// machines and costs page faults).
/// </summary>
public static class MemoryPlan
{
    public const long PerWorker = 16L << 20;
    public const long MinBudget = 256L << 10;

    // Read once: what was available when the work started is what the plan is for.
    private static readonly Lazy<long?> s_available = new(() => Available());

    /// <summary>Workers for this machine now (all cores, fewer where memory is short).</summary>
    public static int Threads() => Threads(s_available.Value, Environment.ProcessorCount);

    /// <summary>Page-batch budget for this machine now.</summary>
    public static long Budget() => Budget(s_available.Value);

    /// <summary>MemAvailable from /proc/meminfo in bytes, or null where it cannot be read.</summary>
    public static long? Available(string meminfo = "/proc/meminfo")
    {
        try
        {
            foreach (var line in File.ReadLines(meminfo))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture,
                    out long kib) ? kib * 1024 : null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return null;
    }

    public static int Threads(long? available, int cores) =>
        available is long a ? (int)Math.Clamp(a / PerWorker, 1, Math.Max(1, cores)) : Math.Max(1, cores);

    public static long Budget(long? available) =>
        available is long a ? Math.Clamp(a / 64, MinBudget, WriterOptions.DefaultMemoryBudget) : WriterOptions.DefaultMemoryBudget;
}
