using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Writers.Output;

/// <summary>Why an output was refused.</summary>
public enum OutputRefusal { Exists, IsInput, IsDirectory }

/// <summary>Usage-level refusal: existing output without --force, output onto the input.</summary>
public sealed class OutputRefusedException(string message, OutputRefusal reason, string? path = null) : Exception(message)
{
    public OutputRefusal Reason { get; } = reason;
    /// <summary>The output that was refused.</summary>
    public string? Path { get; } = path;
}

/// <summary>
/// An output created safely: under a temporary name in the target directory, mode 0600 (dumps
/// hold passwords and keys), renamed onto the final name only after it is complete and synced,
/// so a killed run never leaves a half-written file under the final name. Never overwrites
/// without force, and never writes onto one of the inputs.
/// </summary>
public sealed class OutputFile : IDisposable
{
    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private bool _committed;

    private readonly FileStream _stream; // owns Handle; kept so the handle lives exactly as long as we do

    private OutputFile(string finalPath, string tempPath, FileStream stream)
    {
        _stream = stream;
        SafeFileHandle handle = stream.SafeFileHandle;
        FinalPath = finalPath;
        TempPath = tempPath;
        Handle = handle;
    }

    public string FinalPath { get; }
    public string TempPath { get; }
    public SafeFileHandle Handle { get; }
    /// <summary>The open temporary file as a stream (do not dispose; Commit and Dispose own it).</summary>
    public FileStream Stream => _stream;

    public static OutputFile Create(string path, bool force, IEnumerable<string> inputs)
    {
        string full = Path.GetFullPath(path);
        foreach (var input in inputs)
        {
            if (SameFile(full, input))
                throw new OutputRefusedException($"{path}: refusing to write onto the input {input}", OutputRefusal.IsInput, path);
        }
        if (File.Exists(full) && !force)
            throw new OutputRefusedException($"{path}: exists; use --force to overwrite", OutputRefusal.Exists, path);
        if (Directory.Exists(full))
            throw new OutputRefusedException($"{path}: is a directory", OutputRefusal.IsDirectory, path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.hvdump-{Environment.ProcessId}.tmp");
        // Created 0600 atomically (open(2) with the mode), never world-readable even for an instant.
        var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
            UnixCreateMode = PrivateMode,
        });
        return new OutputFile(full, temp, stream);
    }

    /// <summary>Creates path as Create does, has write fill it, and commits it: the file appears only when whole.</summary>
    public static void WriteWhole(string path, bool force, IEnumerable<string> inputs, Action<Stream> write, bool sync = false)
    {
        using var output = Create(path, force, inputs);
        write(output.Stream);
        output.Commit(sync);
    }

    private static bool SameFile(string a, string b)
    {
        try
        {
            var fb = Path.GetFullPath(b);
            if (string.Equals(a, fb, StringComparison.Ordinal)) return true;
            var ra = new FileInfo(a).ResolveLinkTarget(true)?.FullName ?? a;
            var rb = new FileInfo(fb).ResolveLinkTarget(true)?.FullName ?? fb;
            return string.Equals(ra, rb, StringComparison.Ordinal);
        }
        catch (IOException) { return false; }
    }

    /// <summary>Renames onto the final name; with sync, fsyncs the data first and the directory after.</summary>
    public void Commit(bool sync = true)
    {
        if (sync) RandomAccess.FlushToDisk(Handle);
        _stream.Dispose();
        File.Move(TempPath, FinalPath, overwrite: true);
        _committed = true;
        if (sync) SyncDirectory(Path.GetDirectoryName(FinalPath) ?? ".");
    }

    /// <summary>
    /// fsync of the directory, so the rename itself survives a crash. A failure is reported: a
    /// caller that asked for sync (the release protocol) must not believe the name is durable.
    /// </summary>
    private static void SyncDirectory(string dir) => DirectorySync.Sync(dir);

    public void Dispose()
    {
        if (_committed) return;
        _stream.Dispose();
        try { File.Delete(TempPath); } catch (IOException) { }
    }
}
