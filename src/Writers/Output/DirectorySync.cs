using System.Runtime.InteropServices;

namespace HvDumpKit.Writers.Output;

/// <summary>
/// fsync(2) of a directory, which .NET cannot do: File.OpenHandle refuses a directory (EISDIR is
/// reported as UnauthorizedAccessException), so open(O_RDONLY) is called directly. (O_DIRECTORY is
/// left out: its value differs between x86_64 and ppc64, and the callers pass directories.)
/// </summary>
public static partial class DirectorySync
{
    private const int O_RDONLY = 0, O_CLOEXEC = 0x80000; // the same on x86_64, ppc64 and arm64
    private const int EINVAL = 22;

    /// <exception cref="IOException">the directory could not be opened or synced (HResult is errno)</exception>
    public static void Sync(string dir)
    {
        int fd = Open(dir, O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw Failure("open", dir);
        try
        {
            // EINVAL: the file system cannot sync a directory (fsync(2)); nothing more can be done.
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() != EINVAL) throw Failure("fsync", dir);
        }
        finally { _ = Close(fd); }
    }

    private static IOException Failure(string call, string dir)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{dir}: {call} of the directory failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
