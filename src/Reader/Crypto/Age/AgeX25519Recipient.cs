namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// An X25519 recipient, "age1…" (age spec §X25519 recipient type): the only key a capture host
/// holds. Wrapping a file key needs no secret of ours beyond a fresh ephemeral scalar.
/// </summary>
public sealed class AgeX25519Recipient
{
    private AgeX25519Recipient(byte[] publicKey) => PublicKey = publicKey;

    public byte[] PublicKey { get; }

    public override string ToString() => Bech32.Encode(AgeLayout.RecipientHrp, PublicKey);

    public static bool TryParse(string text, out AgeX25519Recipient? recipient)
    {
        recipient = null;
        // Recipients are lowercase by spec; Bech32 alone would accept the uppercase form too.
        if (text.Any(char.IsUpper)) return false;
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != AgeLayout.RecipientHrp || data.Length != 32) return false;
        recipient = new AgeX25519Recipient(data);
        return true;
    }

    public static AgeX25519Recipient FromPublicKey(byte[] publicKey) =>
        publicKey.Length == 32 ? new AgeX25519Recipient((byte[])publicKey.Clone())
            : throw new ArgumentException("an X25519 public key is 32 bytes");

    /// <summary>A stanza "-> X25519 share" whose body is the file key sealed for this recipient.</summary>
    public AgeStanza Wrap(ReadOnlySpan<byte> fileKey)
    {
        Span<byte> ephemeral = stackalloc byte[32];
        Span<byte> shared = stackalloc byte[32];
        try
        {
            SystemRandom.Fill(ephemeral);
            byte[] share = AgeCrypto.X25519Base(ephemeral);
            if (!AgeCrypto.X25519(ephemeral, PublicKey, shared))
                throw new ArgumentException($"{this}: a low-order X25519 key (all-zero shared secret); refusing it");
            var wrapKey = AgeCrypto.Hkdf(shared, [.. share, .. PublicKey], AgeLayout.X25519Label);
            var body = new byte[AgeLayout.FileKeySize + AgeLayout.TagSize];
            new AgeCrypto.Aead(wrapKey).Seal(new byte[12], fileKey, body);
            Array.Clear(wrapKey);
            return new AgeStanza(AgeLayout.X25519Type, [AgeBase64.Encode(share)], body, -1);
        }
        finally
        {
            ephemeral.Clear();
            shared.Clear();
        }
    }
}
