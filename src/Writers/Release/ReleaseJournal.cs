using System.Globalization;

namespace HvDumpKit.Writers.Release;

/// <summary>
/// The release journal beside the output: "intent ADDR SIZE" is synced before the release file is
/// written, "done ADDR SIZE" after. The kernel's file cannot be asked what it got, so on resume a
/// range with an intent but no completion is never written again (a double release frees memory
/// twice); it is reported as possibly unreleased.
/// </summary>
public sealed class ReleaseJournal : IDisposable
{
    private readonly FileStream _file;

    public ReleaseJournal(string path)
    {
        Path = path;
        string text = File.Exists(path) ? File.ReadAllText(path) : "";
        foreach (var line in text.Split('\n'))
        {
            // A line a kill cut short was never synced, so its release was never written: skip it.
            var p = line.Split(' ');
            if (p.Length != 3 || !TryParse(p[1], out ulong a) || !TryParse(p[2], out ulong s)) continue;
            if (p[0] == "intent") Intended.Add((a, s));
            else if (p[0] == "done") Done.Add((a, s));
        }
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        if (text.Length > 0 && text[^1] != '\n') _file.Write("\n"u8); // records start on a line of their own
    }

    public string Path { get; }
    public HashSet<(ulong Address, ulong Size)> Intended { get; } = new();
    public HashSet<(ulong Address, ulong Size)> Done { get; } = new();
    /// <summary>Ranges an earlier run meant to release but did not record as done.</summary>
    public IEnumerable<(ulong Address, ulong Size)> Uncertain => Intended.Where(i => !Done.Contains(i));

    private static bool TryParse(string hex, out ulong v)
    {
        v = 0;
        return hex.StartsWith("0x", StringComparison.Ordinal) && hex.Length > 2
            && ulong.TryParse(hex.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v);
    }

    public void Intent(ulong a, ulong s) => Append("intent", [(a, s)], Intended);
    public void Completed(ulong a, ulong s) => Append("done", [(a, s)], Done);
    /// <summary>Many records, one fsync.</summary>
    public void Intent(IReadOnlyList<(ulong, ulong)> ranges) => Append("intent", ranges, Intended);
    public void Completed(IReadOnlyList<(ulong, ulong)> ranges) => Append("done", ranges, Done);

    private void Append(string what, IReadOnlyList<(ulong A, ulong S)> ranges, HashSet<(ulong, ulong)> set)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var (a, s) in ranges) sb.Append($"{what} 0x{a:x} 0x{s:x}\n");
        _file.Write(System.Text.Encoding.ASCII.GetBytes(sb.ToString()));
        _file.Flush(flushToDisk: true);
        foreach (var r in ranges) set.Add(r);
    }

    public void Dispose() => _file.Dispose();
}
