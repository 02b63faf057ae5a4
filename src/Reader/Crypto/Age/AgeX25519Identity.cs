namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>An X25519 identity, "AGE-SECRET-KEY-1…": unwraps the file key from X25519 stanzas.</summary>
public sealed class AgeX25519Identity
{
    private readonly byte[] _secret;

    private AgeX25519Identity(byte[] secret)
    {
        _secret = secret;
        Recipient = AgeX25519Recipient.FromPublicKey(AgeCrypto.X25519Base(secret));
    }

    public AgeX25519Recipient Recipient { get; }

    public static AgeX25519Identity Generate() => new(SystemRandom.Bytes(32));

    /// <summary>The Bech32 text age-keygen writes (uppercase).</summary>
    public string Encode() => Bech32.Encode(AgeLayout.IdentityHrp, _secret, upper: true);

    public static bool TryParse(string text, out AgeX25519Identity? identity)
    {
        identity = null;
        if (text.Any(char.IsLower)) return false;
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != AgeLayout.IdentityHrp || data.Length != 32) return false;
        identity = new AgeX25519Identity(data);
        return true;
    }

    /// <summary>Checks an X25519 stanza's shape; a malformed one fails the whole header (age spec), whoever it was for.</summary>
    public static void Validate(AgeStanza s, string? path)
    {
        if (s.Args.Count != 1)
            throw AgeHeaderReader.Error(path, s.Offset, "X25519 stanza", $"{s.Args.Count} arguments",
                "needs exactly one argument (the ephemeral share)");
        if (!AgeBase64.TryDecode(System.Text.Encoding.ASCII.GetBytes(s.Args[0]), out var share) || share.Length != 32)
            throw AgeHeaderReader.Error(path, s.Offset, "X25519 stanza share", s.Args[0], "is not 32 bytes of canonical base64");
        if (s.Body.Length != AgeLayout.FileKeySize + AgeLayout.TagSize)
            throw AgeHeaderReader.Error(path, s.Offset, "X25519 stanza body", $"{s.Body.Length} bytes",
                "is not a sealed 16-byte file key (32 bytes)");
    }

    /// <summary>The file key when this stanza was made for us; null when it was not (a wrong tag).</summary>
    public byte[]? Unwrap(AgeStanza s, string? path)
    {
        Validate(s, path);
        AgeBase64.TryDecode(System.Text.Encoding.ASCII.GetBytes(s.Args[0]), out var share);
        Span<byte> shared = stackalloc byte[32];
        try
        {
            if (!AgeCrypto.X25519(_secret, share, shared))
                throw AgeHeaderReader.Error(path, s.Offset, "X25519 stanza share", s.Args[0],
                    "is a low-order point (all-zero shared secret)");
            var wrapKey = AgeCrypto.Hkdf(shared, [.. share, .. Recipient.PublicKey], AgeLayout.X25519Label);
            var fileKey = new byte[AgeLayout.FileKeySize];
            bool ok = new AgeCrypto.Aead(wrapKey).Open(new byte[12], s.Body, fileKey);
            Array.Clear(wrapKey);
            return ok ? fileKey : null;
        }
        finally { shared.Clear(); }
    }
}
