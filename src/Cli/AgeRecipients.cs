using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Cli;

/// <summary>--encrypt-to / --encrypt-to-file as a verb sees them: null when not given, a usage error when a recipient does not
/// parse.</summary>
public static class AgeRecipients
{
    public static AgeRecipientSet? From(IEnumerable<string>? recipients, IEnumerable<string>? files, string format)
    {
        AgeRecipientSet? set;
        try { set = AgeRecipientSet.From(recipients, files); }
        catch (ArgumentException ex) { throw new UsageException(ex.Message); }
        AgeOutput.CheckFormat(set, format);
        return set;
    }
}
