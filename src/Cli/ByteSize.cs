using System.Globalization;

namespace HvDumpKit.Cli;

/// <summary>Sizes on the command line: bytes, or with a K, M or G suffix (binary multiples), as makedumpfile -L.</summary>
public static class ByteSize
{
    /// <summary>The size in bytes, or null when s is not a positive number with an optional suffix.</summary>
    /// <param name="trim">allow surrounding white space (hvdump's own options; makedumpfile's do not)</param>
    public static long? TryParse(string s, bool trim = true)
    {
        if (trim) s = s.Trim();
        if (s.Length == 0) return null;
        long mult = Multiplier(s);
        string digits = Number(s);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 && v <= long.MaxValue / mult
            ? v * mult : null;
    }

    /// <summary>The number part of s, without its suffix (for error messages).</summary>
    public static string Number(string s) => s.Length > 0 && Multiplier(s) != 1 ? s[..^1] : s;

    private static long Multiplier(string s) => s.Length == 0 ? 1 : char.ToUpperInvariant(s[^1]) switch
    {
        'K' => 1L << 10,
        'M' => 1L << 20,
        'G' => 1L << 30,
        _ => 1,
    };
}
