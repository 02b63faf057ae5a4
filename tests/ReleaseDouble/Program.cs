using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Regions;

// The kernel's side of /sys/kernel/release_region, for tests: reads "ADDR SIZE" lines from a FIFO
// and, for each, checks the syntax, page alignment, that the range lies in a reserved region, that
// no byte is released twice (across runs: earlier releases are read back from the log), and that
// every PFN the range holds is already readable from hvdump's output (named in status.json) and
// equal to the source — "durable before released". Writes one log line per release.
//
// usage: release-double FIFO REGION_MAP SOURCE_VMCORE TARGET_DIR LOG   (status.json is found under TARGET_DIR)
if (args.Length != 5) { Console.Error.WriteLine("usage: release-double FIFO REGION_MAP SOURCE TARGET_DIR LOG"); return 2; }
string fifo = args[0], mapPath = args[1], sourcePath = args[2], targetDir = args[3], logPath = args[4];
var map = RegionMap.ParseFile(mapPath);
var released = new List<(ulong Start, ulong End)>();
if (File.Exists(logPath))
    foreach (var l in File.ReadAllLines(logPath).Where(l => l.StartsWith("OK ", StringComparison.Ordinal)))
    {
        var p = l.Split(' ');
        ulong a = Convert.ToUInt64(p[1], 16), s = Convert.ToUInt64(p[2], 16);
        released.Add((a, a + s));
    }
using var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
using var source = DumpProbe.Open(sourcePath);
var clock = Stopwatch.StartNew();
ulong Page = (ulong)source.Header.PageSize; // releases are whole pages of the dumped kernel (64 KiB on POWER)
using var reader = new StreamReader(new FileStream(fifo, FileMode.Open, FileAccess.Read));
string? line;
while ((line = reader.ReadLine()) is not null)
{
    string? error;
    ulong addr = 0, size = 0;
    // A check that throws is logged as an error, never a silent exit that drops the releases still in the pipe.
    try { error = Check(line, out addr, out size); }
    catch (Exception ex) { error = $"check failed: {ex.GetType().Name}: {ex.Message}"; }
    log.WriteLine(error is null
        ? $"OK 0x{addr:x} 0x{size:x} t={clock.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)}"
        : $"ERROR {error} :: {line}");
    if (error is null) released.Add((addr, addr + size));
}
return 0;

string? Check(string line, out ulong addr, out ulong size)
{
    addr = size = 0;
    var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (parts.Length != 2) return "syntax: expected two hex numbers";
    try
    {
        addr = Convert.ToUInt64(parts[0], 16);
        size = Convert.ToUInt64(parts[1], 16);
    }
    catch (FormatException) { return "syntax: not hexadecimal"; }
    ulong a = addr, end = addr + size;
    if (size == 0 || addr % Page != 0 || size % Page != 0) return "not page aligned";
    var region = map.Regions.FirstOrDefault(r => a >= r.Address && end <= r.End);
    if (region is null) return "outside every reserved region";
    if (released.Any(r => r.Start < end && a < r.End)) return "released twice";
    // The PFNs this range holds (the boot-memory copy holds physical memory from its source address).
    ulong firstPfn = (region.SourceAddress + (a - region.Address)) / Page, endPfn = (region.SourceAddress + (end - region.Address)) / Page;
    var statusPath = Directory.GetFiles(targetDir, "status.json", SearchOption.AllDirectories).OrderBy(File.GetLastWriteTimeUtc).LastOrDefault();
    if (statusPath is null) return "no status.json names the output yet";
    string? output = null;
    for (int attempt = 0; attempt < 20 && output is null; attempt++)
    {
        try
        {
            using var status = JsonDocument.Parse(File.ReadAllText(statusPath));
            output = status.RootElement.GetProperty("output").GetString();
        }
        catch (JsonException) { Thread.Sleep(50); } // caught mid-rewrite: read again
    }
    if (output is null) return "status.json does not name the output";
    // The save renames vmcore-incomplete to vmcore when it is whole, possibly between reading the status and opening.
    IDumpSource dump;
    try { dump = DumpProbe.Open(output); }
    catch (FileNotFoundException) { dump = DumpProbe.Open(output.Replace("vmcore-incomplete", "vmcore")); }
    using var opened = dump;
    var want = new byte[Page];
    var got = new byte[Page];
    for (ulong pfn = firstPfn; pfn < endPfn; pfn++)
    {
        if (source.ReadPage(pfn, want) != PageStatus.Present) continue;
        var st = dump.ReadPage(pfn, got);
        if (st == PageStatus.Excluded) continue;        // the dump level dropped it: nothing to keep
        if (st == PageStatus.NotInDump && pfn >= dump.MaxPfn) continue; // past kdump's last mem_map section
        if (st != PageStatus.Present) return $"released before durable: pfn 0x{pfn:x} is {st} in the output";
        if (!want.AsSpan().SequenceEqual(got)) return $"pfn 0x{pfn:x} differs from the source";
    }
    return null;
}
