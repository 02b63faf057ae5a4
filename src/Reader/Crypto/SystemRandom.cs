using System.Runtime.InteropServices;

namespace HvDumpKit.Reader.Crypto;

/// <summary>
/// Key material from getrandom(2), never from .NET's RandomNumberGenerator: that one loads libssl
/// at run time, which a capture initramfs does not carry. A capture kernel may ask before the
/// kernel's pool is initialised, so a non-blocking try comes first and, when the pool is not ready,
/// we say so on stderr and wait (GRND_NONBLOCK would otherwise fail, and /dev/urandom would
/// silently hand out weak bytes on old kernels).
/// </summary>
public static partial class SystemRandom
{
    private const uint GrndNonblock = 0x1;
    private const int Eagain = 11, Eintr = 4;

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    private static unsafe partial nint GetRandom(byte* buffer, nuint length, uint flags);

    /// <summary>Called once with a message when the kernel RNG is not ready and we block on it.</summary>
    public static Action<string> OnWait { get; set; } = m => Console.Error.WriteLine(m);

    public static unsafe void Fill(Span<byte> buffer)
    {
        bool warned = false;
        int done = 0;
        fixed (byte* p = buffer)
        {
            while (done < buffer.Length)
            {
                uint flags = warned ? 0 : GrndNonblock;
                nint n = GetRandom(p + done, (nuint)(buffer.Length - done), flags);
                if (n > 0) { done += (int)n; continue; }
                int errno = Marshal.GetLastPInvokeError();
                if (n < 0 && errno == Eagain && !warned)
                {
                    OnWait("hvdump: waiting for the kernel random number generator to be initialised (getrandom)");
                    warned = true;
                    continue;
                }
                if (n < 0 && errno == Eintr) continue;
                throw new IOException($"getrandom failed (errno {errno})");
            }
        }
    }

    public static byte[] Bytes(int count)
    {
        var b = new byte[count];
        Fill(b);
        return b;
    }
}
