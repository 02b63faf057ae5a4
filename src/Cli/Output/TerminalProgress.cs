using HvDumpKit.Writers;

namespace HvDumpKit.Cli;

/// <summary>A one-line progress meter on stderr, only when stderr is a terminal.</summary>
public sealed class TerminalProgress(TextWriter stderr) : IProgress<WriteProgress>
{
    private long _lastTicks;
    private bool _shown;

    public void Report(WriteProgress p)
    {
        long now = Environment.TickCount64;
        if (now - _lastTicks < 200 && p.PagesDone < p.PagesTotal) return;
        _lastTicks = now;
        double pct = p.PagesTotal == 0 ? 100 : 100.0 * p.PagesDone / p.PagesTotal;
        stderr.Write($"\r  {pct,5:F1}%  {p.PagesDone}/{p.PagesTotal} pages  {p.BytesOut / 1048576.0:F1} MiB out ");
        _shown = true;
    }

    public void Done()
    {
        if (_shown) stderr.Write("\r\x1b[K");
    }
}
