namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>Constants of the age v1 format (C2SP age spec, https://age-encryption.org/v1).</summary>
public static class AgeLayout
{
    /// <summary>The version line, with its LF: also the magic DumpProbe looks for.</summary>
    public const string VersionLine = "age-encryption.org/v1\n";
    public static ReadOnlySpan<byte> Magic => "age-encryption.org/v1\n"u8;
    public static ReadOnlySpan<byte> StanzaPrefix => "-> "u8;
    /// <summary>The footer mark; the header MAC covers everything up to and including it.</summary>
    public static ReadOnlySpan<byte> FooterMark => "---"u8;

    public const int FileKeySize = 16;
    public const int PayloadNonceSize = 16;
    public const int KeySize = 32;
    public const int TagSize = 16;
    /// <summary>STREAM plaintext chunk size (64 KiB); every chunk but the last is exactly this long.</summary>
    public const int ChunkSize = 64 << 10;
    public const int SealedChunkSize = ChunkSize + TagSize;
    /// <summary>Stanza body lines hold 48 bytes: 64 base64 columns; the last line is shorter.</summary>
    public const int BodyColumns = 64;

    public const string X25519Type = "X25519";
    public const string X25519Label = "age-encryption.org/v1/X25519";
    public const string HeaderLabel = "header";
    public const string PayloadLabel = "payload";
    public const string RecipientHrp = "age";
    public const string IdentityHrp = "age-secret-key-";

    /// <summary>
    /// Caps on what an untrusted header may make us hold (the spec sets none): our own files have
    /// a stanza per recipient, a few hundred bytes each.
    /// </summary>
    public const int MaxHeaderBytes = 1 << 20;
    public const int MaxStanzas = 4096;
}
