namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// Bech32 (BIP 173, the original checksum constant 1, not Bech32m) as age uses it for
/// recipients ("age1…") and identities ("AGE-SECRET-KEY-1…"), without BIP 173's 90-character limit.
/// </summary>
public static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    public static string Encode(string hrp, ReadOnlySpan<byte> data, bool upper = false)
    {
        var values = ConvertBits(data, 8, 5, pad: true) ?? throw new ArgumentException("unencodable data");
        var checksum = Checksum(hrp, values);
        var sb = new System.Text.StringBuilder(hrp.Length + 1 + values.Count + 6);
        sb.Append(hrp).Append('1');
        foreach (var v in values) sb.Append(Charset[v]);
        foreach (var v in checksum) sb.Append(Charset[v]);
        string s = sb.ToString();
        return upper ? s.ToUpperInvariant() : s;
    }

    /// <summary>Decodes s; false for a wrong checksum, mixed case, bad characters or padding.</summary>
    public static bool TryDecode(string s, out string hrp, out byte[] data)
    {
        hrp = "";
        data = [];
        bool hasLower = s.Any(char.IsLower), hasUpper = s.Any(char.IsUpper);
        if (hasLower && hasUpper) return false;
        s = s.ToLowerInvariant();
        int sep = s.LastIndexOf('1');
        if (sep < 1 || sep + 7 > s.Length) return false;
        foreach (char c in s[..sep]) if (c is < (char)33 or > (char)126) return false;
        var values = new List<byte>(s.Length - sep - 1);
        foreach (char c in s[(sep + 1)..])
        {
            int v = Charset.IndexOf(c);
            if (v < 0) return false;
            values.Add((byte)v);
        }
        hrp = s[..sep];
        if (Polymod(Expand(hrp).Concat(values)) != 1) return false;
        var bytes = ConvertBits(values.Take(values.Count - 6).ToArray(), 5, 8, pad: false);
        if (bytes is null) return false;
        data = [.. bytes];
        return true;
    }

    private static IEnumerable<byte> Expand(string hrp)
    {
        foreach (char c in hrp) yield return (byte)(c >> 5);
        yield return 0;
        foreach (char c in hrp) yield return (byte)(c & 31);
    }

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint chk = 1;
        foreach (var v in values)
        {
            uint top = chk >> 25;
            chk = (chk & 0x1ffffff) << 5 ^ v;
            for (int i = 0; i < 5; i++) if (((top >> i) & 1) != 0) chk ^= Generator[i];
        }
        return chk;
    }

    private static byte[] Checksum(string hrp, List<byte> values)
    {
        uint mod = Polymod(Expand(hrp).Concat(values).Concat(new byte[6])) ^ 1;
        var r = new byte[6];
        for (int i = 0; i < 6; i++) r[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        return r;
    }

    private static List<byte>? ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        int acc = 0, bits = 0, max = (1 << to) - 1;
        var r = new List<byte>(data.Length * from / to + 1);
        foreach (var b in data)
        {
            if (b >> from != 0) return null;
            acc = (acc << from) | b;
            bits += from;
            while (bits >= to) { bits -= to; r.Add((byte)((acc >> bits) & max)); }
        }
        if (pad) { if (bits > 0) r.Add((byte)((acc << (to - bits)) & max)); }
        // Decoding: leftover bits must be fewer than a group and zero (a canonical encoding).
        else if (bits >= from || ((acc << (to - bits)) & max) != 0) return null;
        return r;
    }
}
