using System.Security.Cryptography;
using System.Text;

namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// A parsed age v1 header (age spec §Header): its recipient stanzas, the MAC, and where the
/// header ends in the file (the 16-byte payload nonce follows at <see cref="Length"/>).
/// </summary>
public sealed class AgeHeader
{
    public AgeHeader(IReadOnlyList<AgeStanza> stanzas, byte[] mac, byte[] macedBytes, long length)
    {
        Stanzas = stanzas;
        Mac = mac;
        MacedBytes = macedBytes;
        Length = length;
    }

    public IReadOnlyList<AgeStanza> Stanzas { get; }
    public byte[] Mac { get; }
    /// <summary>The header bytes the MAC covers: from the version line up to and including "---".</summary>
    public byte[] MacedBytes { get; }
    /// <summary>Bytes from the start of the file to the end of the footer line.</summary>
    public long Length { get; }

    /// <summary>Stanza types and how often each appears, e.g. "2 X25519".</summary>
    public string DescribeRecipients() => Stanzas.Count == 0 ? "no recipient stanzas"
        : string.Join(", ", Stanzas.GroupBy(s => s.Type, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));

    public bool MacMatches(ReadOnlySpan<byte> fileKey)
    {
        var key = AgeCrypto.Hkdf(fileKey, [], AgeLayout.HeaderLabel);
        var mac = AgeCrypto.HmacSha256(key, MacedBytes);
        return CryptographicOperations.FixedTimeEquals(mac, Mac);
    }

    /// <summary>Encodes stanzas and a MAC under fileKey: the bytes of a header, footer line included.</summary>
    public static byte[] Encode(IEnumerable<AgeStanza> stanzas, ReadOnlySpan<byte> fileKey)
    {
        var sb = new StringBuilder(AgeLayout.VersionLine);
        foreach (var s in stanzas)
        {
            sb.Append("-> ").Append(s.Type);
            foreach (var a in s.Args) sb.Append(' ').Append(a);
            sb.Append('\n');
            string body = AgeBase64.Encode(s.Body);
            for (int i = 0; i < body.Length; i += AgeLayout.BodyColumns)
                sb.Append(body, i, Math.Min(AgeLayout.BodyColumns, body.Length - i)).Append('\n');
            // The last body line is always shorter than 64 columns, so a full one is followed by an empty one.
            if (body.Length % AgeLayout.BodyColumns == 0) sb.Append('\n');
        }
        sb.Append("---");
        var maced = Encoding.ASCII.GetBytes(sb.ToString());
        var key = AgeCrypto.Hkdf(fileKey, [], AgeLayout.HeaderLabel);
        var mac = AgeCrypto.HmacSha256(key, maced);
        return [.. maced, .. " "u8, .. Encoding.ASCII.GetBytes(AgeBase64.Encode(mac)), (byte)'\n'];
    }
}
