namespace HvDumpKit.Cli;

/// <summary>0 ok, 1 bad or unreadable input / refused output / failed write, 2 usage.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
}

/// <summary>A wrong option value found after parsing.</summary>
public sealed class UsageException(string message) : Exception(message);
