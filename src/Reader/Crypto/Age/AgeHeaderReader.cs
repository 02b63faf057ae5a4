using System.Text;
using HvDumpKit.Reader.IO;

namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// Parses an age v1 header strictly, as the spec and its testkit require: LF line ends only,
/// arguments of VCHARs separated by single spaces, body lines of exactly 64 columns but the last,
/// canonical unpadded base64, a 32-byte MAC. Anything else is a DumpFormatException naming the offset.
/// </summary>
public static class AgeHeaderReader
{
    public static bool HasMagic(ReadOnlySpan<byte> head) => head.StartsWith(AgeLayout.Magic);

    /// <summary>True when the first bytes are age's version line (of any version), so a wrong version is an error, not "not
    /// mine".</summary>
    public static bool LooksLikeAge(ReadOnlySpan<byte> head) => head.StartsWith("age-encryption.org/"u8);

    public static AgeHeader Read(IRandomAccessInput input)
    {
        int want = (int)Math.Min(AgeLayout.MaxHeaderBytes, Math.Max(0, input.Length));
        var buf = new byte[Math.Min(want, 64 << 10)];
        int n = input.ReadAt(0, buf);
        // Most headers fit the first read; a long one (many recipients) is read again in full.
        if (n == buf.Length && buf.AsSpan(0, n).IndexOf("\n--- "u8) < 0 && want > buf.Length)
        {
            buf = new byte[want];
            n = input.ReadAt(0, buf);
        }
        return Parse(buf.AsSpan(0, n), input.Path);
    }

    public static AgeHeader Parse(ReadOnlySpan<byte> b, string? path)
    {
        if (!b.StartsWith(AgeLayout.Magic))
        {
            int eol = b.IndexOf((byte)'\n');
            string line = Encoding.ASCII.GetString(b[..(eol < 0 ? Math.Min(b.Length, 40) : Math.Min(eol, 40))]);
            throw Error(path, 0, "age version line", line, "is not age-encryption.org/v1 (unsupported version)");
        }
        int pos = AgeLayout.Magic.Length;
        var stanzas = new List<AgeStanza>();
        while (true)
        {
            var rest = b[pos..];
            if (rest.StartsWith("--- "u8))
            {
                int eol = rest.IndexOf((byte)'\n');
                if (eol < 0) throw Error(path, pos, "age header MAC", null, "line has no end (the header is truncated)");
                if (!AgeBase64.TryDecode(rest[4..eol], out var mac) || mac.Length != 32)
                    throw Error(path, pos + 4, "age header MAC", null, "is not 32 bytes of canonical base64");
                return new AgeHeader(stanzas, mac, b[..(pos + 3)].ToArray(), pos + eol + 1);
            }
            if (!rest.StartsWith(AgeLayout.StanzaPrefix))
                throw Error(path, pos, "age stanza", null, rest.IsEmpty ? "missing: the header ends before its MAC line"
                    : "line does not start with \"-> \" or \"--- \"");
            if (stanzas.Count >= AgeLayout.MaxStanzas) throw Error(path, pos, "age stanza", null,
                $"more than {AgeLayout.MaxStanzas} stanzas");
            int lineEnd = rest.IndexOf((byte)'\n');
            if (lineEnd < 0) throw Error(path, pos, "age stanza", null, "line has no end (the header is truncated)");
            var args = new List<string>();
            foreach (var range in rest[3..lineEnd].Split((byte)' '))
            {
                var arg = rest[3..lineEnd][range];
                if (arg.IsEmpty) throw Error(path, pos, "age stanza argument", null, "is empty");
                foreach (var c in arg)
                    if (c is < 0x21 or > 0x7E) throw Error(path, pos, "age stanza argument", $"0x{c:X2}",
                        "is not a visible ASCII character");
                args.Add(Encoding.ASCII.GetString(arg));
            }
            long stanzaAt = pos;
            pos += lineEnd + 1;
            // Body: full 64-column lines, then one shorter (possibly empty) line.
            var body = new List<byte>();
            var text = new List<byte>();
            while (true)
            {
                int eol = b[pos..].IndexOf((byte)'\n');
                if (eol < 0) throw Error(path, pos, "age stanza body", null, "line has no end (the header is truncated)");
                var line = b.Slice(pos, eol);
                if (line.Length > AgeLayout.BodyColumns) throw Error(path, pos, "age stanza body", null,
                    $"line is longer than {AgeLayout.BodyColumns} columns");
                text.AddRange(line);
                pos += eol + 1;
                if (line.Length < AgeLayout.BodyColumns) break;
            }
            if (!AgeBase64.TryDecode(text.ToArray(), out var bodyBytes))
                throw Error(path, stanzaAt, "age stanza body", null, "is not canonical unpadded base64");
            body.AddRange(bodyBytes);
            stanzas.Add(new AgeStanza(args[0], args.Skip(1).ToArray(), [.. body], stanzaAt));
        }
    }

    internal static DumpFormatException Error(string? path, long offset, string field, string? value, string problem) =>
        new(path, offset, field, value, problem);
}
