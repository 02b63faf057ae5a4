namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// The spec's base64: standard alphabet, no padding, canonical (unused trailing bits zero).
/// .NET's decoder wants padding and accepts non-canonical input, which the testkit rejects.
/// </summary>
public static class AgeBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    public static bool TryDecode(ReadOnlySpan<byte> text, out byte[] data)
    {
        data = [];
        if (text.Length % 4 == 1) return false;
        foreach (var c in text)
            if (!(c is >= (byte)'A' and <= (byte)'Z'
                or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/'))
                return false;
        int pad = (4 - text.Length % 4) % 4;
        var s = System.Text.Encoding.ASCII.GetString(text) + new string('=', pad);
        try { data = Convert.FromBase64String(s); }
        catch (FormatException) { return false; }
        // Canonical: re-encoding gives the same text, so no stray bits hide in the last character.
        return Encode(data).Length == text.Length && Encode(data) == System.Text.Encoding.ASCII.GetString(text);
    }
}
