namespace HvDumpKit.Writers.Output;

/// <summary>errno values the output code decides on (IOException.HResult carries errno on Linux).</summary>
public static class Errno
{
    public const int ENOSPC = 28;
    public const int EDQUOT = 122;

    /// <summary>The output is full: a full disk or quota, or a size limit reached.</summary>
    public static bool IsOutputFull(IOException ex) => ex is OutputFullException || ex.HResult is ENOSPC or EDQUOT;
}

/// <summary>The output cannot take more bytes (a size limit such as makedumpfile -L).</summary>
public sealed class OutputFullException(string message) : IOException(message, Errno.ENOSPC);

/// <summary>
/// A write that must become durable (memory is released once it is) was given an output that
/// cannot be made durable: a pipe, a terminal, a sink that only counts.
/// </summary>
public sealed class OutputNotDurableException(string message) : IOException(message);
