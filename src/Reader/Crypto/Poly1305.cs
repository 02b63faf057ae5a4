using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace HvDumpKit.Reader.Crypto;

/// <summary>
/// The Poly1305 one-time authenticator of RFC 8439 §2.5, incremental. The accumulator and r are held in three
/// limbs of 44, 44 and 42 bits, so each product of a limb and r (or 5·4·r, folding 2^130 ≡ 5 back in) is under
/// 2^93 and a sum of three fits two 64-bit words (Math.BigMul). Branch-free on secret data: carries are computed
/// from bits and the final reduction selects by mask.
/// </summary>
public sealed class Poly1305
{
    public const int KeySize = 32, TagSize = 16, BlockSize = 16;
    private const ulong M44 = (1UL << 44) - 1, M42 = (1UL << 42) - 1;

    private readonly ulong _r0, _r1, _r2, _s1, _s2, _pad0, _pad1;
    private ulong _h0, _h1, _h2;
    private readonly byte[] _partial = new byte[BlockSize];
    private int _partialLength;

    public Poly1305(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize) throw new ArgumentException("Poly1305 wants a 32-byte one-time key", nameof(key));
        ulong t0 = BinaryPrimitives.ReadUInt64LittleEndian(key), t1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
        // r is clamped (§2.5: r &= 0x0ffffffc0ffffffc0ffffffc0fffffff); the masks do it while splitting into limbs.
        _r0 = t0 & 0xffc0fffffff;
        _r1 = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffff;
        _r2 = (t1 >> 24) & 0x00ffffffc0f;
        _s1 = _r1 * (5 << 2);
        _s2 = _r2 * (5 << 2);
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
            Blocks(_partial, 1UL << 40);
            _partialLength = 0;
        }
        int whole = data.Length & ~(BlockSize - 1);
        if (whole > 0) Blocks(data[..whole], 1UL << 40);
        data[whole..].CopyTo(_partial);
        _partialLength = data.Length - whole;
    }

    /// <summary>Zero bytes up to the next 16-byte boundary of what was fed so far (the AEAD's pad16).</summary>
    public void PadToBlock()
    {
        if (_partialLength == 0) return;
        _partial.AsSpan(_partialLength).Clear();
        Blocks(_partial, 1UL << 40);
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
        ulong h0 = _h0, h1 = _h1, h2 = _h2, c;
        c = h1 >> 44; h1 &= M44; h2 += c;
        c = h2 >> 42; h2 &= M42; h0 += c * 5;
        c = h0 >> 44; h0 &= M44; h1 += c;
        c = h1 >> 44; h1 &= M44; h2 += c;
        c = h2 >> 42; h2 &= M42; h0 += c * 5;
        c = h0 >> 44; h0 &= M44; h1 += c;
        // g = h + 5 - 2^130; take it when it did not go negative, i.e. when h >= p.
        ulong g0 = h0 + 5; c = g0 >> 44; g0 &= M44;
        ulong g1 = h1 + c; c = g1 >> 44; g1 &= M44;
        ulong g2 = h2 + c - (1UL << 42);
        ulong useG = (g2 >> 63) - 1; // all ones when g2 did not borrow
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);
        // tag = (h + s) mod 2^128.
        h0 += _pad0 & M44; c = h0 >> 44; h0 &= M44;
        h1 += (((_pad0 >> 44) | (_pad1 << 20)) & M44) + c; c = h1 >> 44; h1 &= M44;
        h2 += ((_pad1 >> 24) & M42) + c; h2 &= M42;
        BinaryPrimitives.WriteUInt64LittleEndian(tag, h0 | (h1 << 44));
        BinaryPrimitives.WriteUInt64LittleEndian(tag[8..], (h1 >> 20) | (h2 << 24));
        _h0 = _h1 = _h2 = 0;
        Array.Clear(_partial);
    }

    private void Blocks(ReadOnlySpan<byte> m, ulong hibit)
    {
        ulong r0 = _r0, r1 = _r1, r2 = _r2, s1 = _s1, s2 = _s2, h0 = _h0, h1 = _h1, h2 = _h2;
        for (int at = 0; at + BlockSize <= m.Length; at += BlockSize)
        {
            ulong t0 = BinaryPrimitives.ReadUInt64LittleEndian(m[at..]), t1 = BinaryPrimitives.ReadUInt64LittleEndian(m[(at + 8)..]);
            h0 += t0 & M44;
            h1 += ((t0 >> 44) | (t1 << 20)) & M44;
            h2 += ((t1 >> 24) & M42) | hibit;
            // d_k = sum of three products, each under 2^93: kept as (lo, hi) pairs of 64-bit words.
            ulong d0h = Math.BigMul(h0, r0, out ulong d0l); Add(ref d0l, ref d0h, h1, s2); Add(ref d0l, ref d0h, h2, s1);
            ulong d1h = Math.BigMul(h0, r1, out ulong d1l); Add(ref d1l, ref d1h, h1, r0); Add(ref d1l, ref d1h, h2, s2);
            ulong d2h = Math.BigMul(h0, r2, out ulong d2l); Add(ref d2l, ref d2h, h1, r1); Add(ref d2l, ref d2h, h2, r0);
            ulong c = (d0l >> 44) | (d0h << 20); h0 = d0l & M44;
            Add(ref d1l, ref d1h, c); c = (d1l >> 44) | (d1h << 20); h1 = d1l & M44;
            Add(ref d2l, ref d2h, c); c = (d2l >> 42) | (d2h << 22); h2 = d2l & M42;
            h0 += c * 5; c = h0 >> 44; h0 &= M44;
            h1 += c;
        }
        _h0 = h0; _h1 = h1; _h2 = h2;
    }

    /// <summary>(lo, hi) += a·b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref ulong lo, ref ulong hi, ulong a, ulong b)
    {
        ulong h = Math.BigMul(a, b, out ulong l);
        Add(ref lo, ref hi, l);
        hi += h;
    }

    /// <summary>(lo, hi) += v, the carry computed from the bits, not by a comparison (no branch on secret data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref ulong lo, ref ulong hi, ulong v)
    {
        ulong sum = lo + v;
        hi += ((lo & v) | ((lo | v) & ~sum)) >> 63;
        lo = sum;
    }
}
