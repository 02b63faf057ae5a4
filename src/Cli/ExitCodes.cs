namespace HvDumpKit.Cli;

/// <summary>0 ok, 1 bad or unreadable input / refused output / failed write, 2 usage, 70 a bug of hvdump's.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
    /// <summary>sysexits.h EX_SOFTWARE: an internal software error, so scripts never take a bug for a bad dump.</summary>
    public const int InternalError = 70;
}

/// <summary>A wrong option value found after parsing.</summary>
public sealed class UsageException(string message) : Exception(message);
