using System.Globalization;
using System.Text;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Cli.Verbs;

/// <summary>
/// `hvdump keygen [-o FILE]`: an X25519 identity in age-keygen's file format, so age and hvdump
/// read each other's keys. Made off the capture host: only the printed recipient goes there.
/// </summary>
public static class KeygenVerb
{
    public static int Run(KeygenOptions o, TextWriter stdout, TextWriter stderr)
    {
        var id = AgeX25519Identity.Generate();
        string created = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string text = $"# created: {created}\n# public key: {id.Recipient}\n{id.Encode()}\n";
        if (o.Output is null)
        {
            stdout.Write(text);
            return ExitCodes.Ok;
        }
        // OutputFile: created 0600 under a temporary name, synced, renamed; never over a key without --force.
        using var output = OutputFile.Create(o.Output, o.Force, []);
        output.Stream.Write(Encoding.ASCII.GetBytes(text));
        output.Commit(sync: true);
        stderr.WriteLine($"Public key: {id.Recipient}");
        return ExitCodes.Ok;
    }
}
