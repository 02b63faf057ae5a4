using System.Buffers.Binary;

namespace HvDumpKit.Reader.Crypto;

/// <summary>
/// The Poly1305 one-time authenticator of RFC 8439 §2.5, incremental. The accumulator and r are held in five
/// limbs of 26 bits, so every product of two limbs (or of a limb and 5·r, folding 2^130 ≡ 5 back in) fits a
/// ulong and a sum of five stays under 2^59: plain 64-bit multiplies, which every x86-64 has — a 64×64→128
/// multiply is a software routine in a baseline NativeAOT build (no BMI2), and it was a tenth of a run.
/// Branch-free on secret data: carries come from shifts and the final reduction selects by mask.
/// </summary>
public sealed class Poly1305
{
    public const int KeySize = 32, TagSize = 16, BlockSize = 16;
    private const ulong M26 = (1UL << 26) - 1;

    private readonly ulong _r0, _r1, _r2, _r3, _r4, _s1, _s2, _s3, _s4, _pad0, _pad1;
    private ulong _h0, _h1, _h2, _h3, _h4;
    private readonly byte[] _partial = new byte[BlockSize];
    private int _partialLength;

    public Poly1305(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException("Poly1305 wants a 32-byte one-time key", nameof(key));
        // r is clamped (§2.5: r &= 0x0ffffffc0ffffffc0ffffffc0fffffff), then split into limbs.
        ulong a = BinaryPrimitives.ReadUInt64LittleEndian(key) & 0x0ffffffc0fffffff;
        ulong b = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]) & 0x0ffffffc0ffffffc;
        _r0 = a & M26;
        _r1 = (a >> 26) & M26;
        _r2 = ((a >> 52) | (b << 12)) & M26;
        _r3 = (b >> 14) & M26;
        _r4 = (b >> 40) & M26;
        _s1 = _r1 * 5; _s2 = _r2 * 5; _s3 = _r3 * 5; _s4 = _r4 * 5;
        _pad0 = BinaryPrimitives.ReadUInt64LittleEndian(key[16..]);
        _pad1 = BinaryPrimitives.ReadUInt64LittleEndian(key[24..]);
    }

    public void Update(ReadOnlySpan<byte> data)
    {
        if (_partialLength > 0)
        {
            int n = Math.Min(BlockSize - _partialLength, data.Length);
            data[..n].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += n;
            data = data[n..];
            if (_partialLength < BlockSize) return;
            Blocks(_partial, 1UL << 24);
            _partialLength = 0;
        }
        int whole = data.Length & ~(BlockSize - 1);
        if (whole > 0) Blocks(data[..whole], 1UL << 24);
        data[whole..].CopyTo(_partial);
        _partialLength = data.Length - whole;
    }

    /// <summary>Zero bytes up to the next 16-byte boundary of what was fed so far (the AEAD's pad16).</summary>
    public void PadToBlock()
    {
        if (_partialLength == 0) return;
        _partial.AsSpan(_partialLength).Clear();
        Blocks(_partial, 1UL << 24);
        _partialLength = 0;
    }

    /// <summary>Writes the 16-byte tag. The instance is spent afterwards.</summary>
    public void Final(Span<byte> tag)
    {
        if (_partialLength > 0)
        {
            // The last, short block ends with a 1 byte in place of the 2^128 bit (§2.5.1).
            _partial[_partialLength] = 1;
            _partial.AsSpan(_partialLength + 1).Clear();
            Blocks(_partial, 0);
            _partialLength = 0;
        }
        ulong h0 = _h0, h1 = _h1, h2 = _h2, h3 = _h3, h4 = _h4, c;
        c = h1 >> 26; h1 &= M26; h2 += c;
        c = h2 >> 26; h2 &= M26; h3 += c;
        c = h3 >> 26; h3 &= M26; h4 += c;
        c = h4 >> 26; h4 &= M26; h0 += c * 5;
        c = h0 >> 26; h0 &= M26; h1 += c;
        // g = h + 5 - 2^130; take it when it did not go negative, i.e. when h >= p.
        ulong g0 = h0 + 5; c = g0 >> 26; g0 &= M26;
        ulong g1 = h1 + c; c = g1 >> 26; g1 &= M26;
        ulong g2 = h2 + c; c = g2 >> 26; g2 &= M26;
        ulong g3 = h3 + c; c = g3 >> 26; g3 &= M26;
        ulong g4 = h4 + c - (1UL << 26);
        ulong useG = (g4 >> 63) - 1; // all ones when g4 did not borrow
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);
        h3 = (h3 & ~useG) | (g3 & useG);
        h4 = (h4 & ~useG) | (g4 & useG);
        // tag = (h + s) mod 2^128.
        ulong lo = h0 | (h1 << 26) | (h2 << 52);
        ulong hi = (h2 >> 12) | (h3 << 14) | (h4 << 40);
        ulong sum = lo + _pad0;
        hi += _pad1 + (((lo & _pad0) | ((lo | _pad0) & ~sum)) >> 63);
        BinaryPrimitives.WriteUInt64LittleEndian(tag, sum);
        BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], hi);
        _h0 = _h1 = _h2 = _h3 = _h4 = 0;
        Array.Clear(_partial);
    }

    private void Blocks(ReadOnlySpan<byte> m, ulong hibit)
    {
        ulong r0 = _r0, r1 = _r1, r2 = _r2, r3 = _r3, r4 = _r4, s1 = _s1, s2 = _s2, s3 = _s3, s4 = _s4;
        ulong h0 = _h0, h1 = _h1, h2 = _h2, h3 = _h3, h4 = _h4;
        for (int at = 0; at + BlockSize <= m.Length; at += BlockSize)
        {
            ulong a = BinaryPrimitives.ReadUInt64LittleEndian(m[at..]), b = BinaryPrimitives.ReadUInt64LittleEndian(m[(at + 8)..]);
            h0 += a & M26;
            h1 += (a >> 26) & M26;
            h2 += ((a >> 52) | (b << 12)) & M26;
            h3 += (b >> 14) & M26;
            h4 += (b >> 40) | hibit;
            ulong d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            ulong d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            ulong d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            ulong d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            ulong d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
            ulong c = d0 >> 26; h0 = d0 & M26;
            d1 += c; c = d1 >> 26; h1 = d1 & M26;
            d2 += c; c = d2 >> 26; h2 = d2 & M26;
            d3 += c; c = d3 >> 26; h3 = d3 & M26;
            d4 += c; c = d4 >> 26; h4 = d4 & M26;
            h0 += c * 5; c = h0 >> 26; h0 &= M26;
            h1 += c;
        }
        _h0 = h0; _h1 = h1; _h2 = h2; _h3 = h3; _h4 = h4;
    }
}
