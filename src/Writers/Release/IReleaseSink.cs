namespace HvDumpKit.Writers.Release;

/// <summary>Where releases go: the kernel's release file, FADump's all-at-once switch, or nowhere.</summary>
public interface IReleaseSink : IDisposable
{
    /// <summary>True when ranges can be given back one by one (phyp dump's release_region).</summary>
    bool PerRange { get; }
    void Release(ulong address, ulong size);
    /// <summary>All-at-once release (FADump release_mem), after the last byte is durable.</summary>
    void ReleaseAll();
}

/// <summary>`echo ADDR SIZE > /sys/kernel/release_region`: one write per range, hex, as the kernel's sscanf("%lx %lx").</summary>
public sealed class ReleaseRegionFile(string path) : IReleaseSink
{
    private readonly FileStream _file = new(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
    public bool PerRange => true;

    public void Release(ulong address, ulong size)
    {
        var line = System.Text.Encoding.ASCII.GetBytes($"0x{address:x} 0x{size:x}\n");
        _file.Write(line); // one write(2): one store in the kernel
        _file.Flush();
    }

    public void ReleaseAll() { }
    public void Dispose() => _file.Dispose();
}

/// <summary>FADump: `echo 1 > /sys/kernel/fadump/release_mem` tears /proc/vmcore down — only at the very end.</summary>
public sealed class FadumpReleaseMem(string path) : IReleaseSink
{
    public bool PerRange => false;
    public void Release(ulong address, ulong size) { }
    public void ReleaseAll() => File.WriteAllText(path, "1\n");
    public void Dispose() { }
}

/// <summary>--dry-run and --no-release: record, never write.</summary>
public sealed class NoRelease(bool perRange) : IReleaseSink
{
    public bool PerRange => perRange;
    public void Release(ulong address, ulong size) { }
    public void ReleaseAll() { }
    public void Dispose() { }
}
