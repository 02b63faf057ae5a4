namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// An age file we cannot open for want of the right key: no --identity given, or none of them
/// matches a recipient stanza. Derives from UnauthorizedAccessException because that is what it
/// is to the user — a file they may not read — and the CLI already reports that as one line, exit 1.
/// </summary>
public sealed class AgeIdentityException(string message) : UnauthorizedAccessException(message);
