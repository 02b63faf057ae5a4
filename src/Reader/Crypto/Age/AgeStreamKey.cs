using System.Buffers.Binary;

namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// The payload's STREAM (age spec §Payload): key = HKDF-SHA256(file key, salt = the 16-byte
/// payload nonce, "payload"); chunk i is sealed under nonce = 11-byte big-endian i ‖ last-flag.
/// The nonce is the chunk's index, so any chunk opens alone — and sealing one index twice with
/// other content would reuse a nonce, which is why writers seal each chunk exactly once.
/// Not thread-safe: one instance per thread.
/// </summary>
public sealed class AgeStreamKey
{
    private readonly AgeCrypto.Aead _aead;
    private readonly byte[] _nonce = new byte[12];

    public AgeStreamKey(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> payloadNonce) =>
        _aead = new AgeCrypto.Aead(AgeCrypto.Hkdf(fileKey, payloadNonce, AgeLayout.PayloadLabel));

    private byte[] Nonce(long index, bool last)
    {
        if (index < 0 || index >= 1L << 56) throw new ArgumentOutOfRangeException(nameof(index));
        _nonce.AsSpan().Clear();
        // 11 bytes of counter; 2^56 chunks (4 EiB) cover any dump, so the top 3 stay zero.
        BinaryPrimitives.WriteUInt64BigEndian(_nonce.AsSpan(3, 8), (ulong)index);
        _nonce[11] = last ? (byte)1 : (byte)0;
        return _nonce;
    }

    public void Seal(long index, bool last, ReadOnlySpan<byte> plaintext, Span<byte> output) =>
        _aead.Seal(Nonce(index, last), plaintext, output);

    public bool Open(long index, bool last, ReadOnlySpan<byte> sealedChunk, Span<byte> output) =>
        _aead.Open(Nonce(index, last), sealedChunk, output);
}
