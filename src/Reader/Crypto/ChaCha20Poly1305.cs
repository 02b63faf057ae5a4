using System.Buffers.Binary;

namespace HvDumpKit.Reader.Crypto;

/// <summary>
/// The ChaCha20-Poly1305 AEAD of RFC 8439 §2.8 (what age's payload chunks and file-key stanzas are sealed
/// with), on <see cref="ChaCha20"/> and <see cref="Poly1305"/>: the one-time Poly1305 key is block 0 of the key
/// stream, the text is enciphered from block 1, and the tag covers aad, pad16, ciphertext, pad16 and both lengths.
/// Open checks the tag before deciphering anything. Reusable for one key; not thread-safe.
/// </summary>
public sealed class ChaCha20Poly1305
{
    public const int TagSize = Poly1305.TagSize;
    private readonly byte[] _key = new byte[ChaCha20.KeySize];
    private readonly byte[] _otk = new byte[Poly1305.KeySize];

    public ChaCha20Poly1305(ReadOnlySpan<byte> key)
    {
        if (key.Length != ChaCha20.KeySize) throw new ArgumentException("ChaCha20-Poly1305 wants a 32-byte key", nameof(key));
        key.CopyTo(_key);
    }

    /// <summary>Writes plaintext.Length + 16 bytes to output (ciphertext, then the tag).</summary>
    public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> output, ReadOnlySpan<byte> aad = default)
    {
        if (output.Length < plaintext.Length + TagSize)
            throw new ArgumentException("output too short for ciphertext and tag", nameof(output));
        var ciphertext = output[..plaintext.Length];
        ChaCha20.Xor(_key, nonce, 1, plaintext, ciphertext);
        Tag(nonce, aad, ciphertext, output.Slice(plaintext.Length, TagSize));
    }

    /// <summary>False when the tag does not verify; output is then cleared and holds nothing to use.</summary>
    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, Span<byte> output, ReadOnlySpan<byte> aad = default)
    {
        if (sealedData.Length < TagSize) return false;
        var ciphertext = sealedData[..^TagSize];
        if (output.Length < ciphertext.Length) throw new ArgumentException("output too short for the plaintext", nameof(output));
        Span<byte> tag = stackalloc byte[TagSize];
        Tag(nonce, aad, ciphertext, tag);
        int diff = 0;
        for (int i = 0; i < TagSize; i++) diff |= tag[i] ^ sealedData[ciphertext.Length + i]; // no early exit
        if (diff != 0)
        {
            output[..ciphertext.Length].Clear();
            return false;
        }
        ChaCha20.Xor(_key, nonce, 1, ciphertext, output);
        return true;
    }

    private void Tag(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, Span<byte> tag)
    {
        Span<byte> otk = _otk;
        otk.Clear();
        ChaCha20.Xor(_key, nonce, 0, otk, otk); // block 0's first 32 bytes: the one-time key (§2.6)
        var mac = new Poly1305(otk);
        otk.Clear();
        mac.Update(aad);
        mac.PadToBlock();
        mac.Update(ciphertext);
        mac.PadToBlock();
        Span<byte> lengths = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(lengths, (ulong)aad.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(lengths[8..], (ulong)ciphertext.Length);
        mac.Update(lengths);
        mac.Final(tag);
    }
}
