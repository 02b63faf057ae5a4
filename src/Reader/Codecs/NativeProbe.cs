namespace HvDumpKit.Reader.Codecs;

/// <summary>
/// Whether a native codec answers here. The NativeAOT capture binary links liblzo2, libdeflate
/// and zlib in (DirectPInvoke, scripts/publish.sh) so that a bare initramfs needs no .so; the JIT
/// build loads them from the system. Calling a harmless entry point covers both, where a dlopen
/// would call a linked-in codec missing.
/// </summary>
internal static class NativeProbe
{
    public static bool Works(Action call)
    {
        try
        {
            call();
            return true;
        }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
        catch (BadImageFormatException) { return false; }
    }
}
