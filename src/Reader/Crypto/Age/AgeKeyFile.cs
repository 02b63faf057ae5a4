using System.Text;

namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// age's key files: an identity file (AGE-SECRET-KEY-1… lines) and a recipients file (age1…
/// lines), both with '#' comments and blank lines ignored, as age -i and age -R read them.
/// </summary>
public static class AgeKeyFile
{
    public static IReadOnlyList<AgeX25519Identity> ReadIdentities(string path) =>
        Lines(path, "identity", (string l, out AgeX25519Identity? id) => AgeX25519Identity.TryParse(l, out id),
            "is not an X25519 identity (AGE-SECRET-KEY-1…); other identity types are not supported");

    public static IReadOnlyList<AgeX25519Recipient> ReadRecipients(string path) =>
        Lines(path, "recipient", (string l, out AgeX25519Recipient? r) => AgeX25519Recipient.TryParse(l, out r),
            "is not an X25519 recipient (age1…); other recipient types are not supported");

    private delegate bool TryParser<T>(string line, out T? value);

    private static List<T> Lines<T>(string path, string field, TryParser<T> parse, string problem) where T : class
    {
        var result = new List<T>();
        long offset = 0;
        int number = 0;
        foreach (var raw in File.ReadAllText(path, Encoding.UTF8).Split('\n'))
        {
            number++;
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                // Never echo the line: it may be a secret key with a typo.
                if (!parse(line, out var v) || v is null)
                    throw new DumpFormatException(path, offset, $"{field} (line {number})", null, problem);
                result.Add(v);
            }
            offset += Encoding.UTF8.GetByteCount(raw) + 1;
        }
        if (result.Count == 0) throw new DumpFormatException(path, 0, field, null, $"file holds no {field}");
        return result;
    }
}
