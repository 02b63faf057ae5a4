using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HvDumpKit.Reader.Crypto;

/// <summary>
/// The ChaCha20 stream cipher of RFC 8439 §2.3–2.4 (32-byte key, 96-bit nonce, 32-bit block counter), written
/// here rather than taken from BouncyCastle because encryption at capture must cost little next to LZO: eight
/// blocks at a time in AVX2 registers (one block per lane, the state transposed back into byte order), four
/// with SSE2, one at a time otherwise. Every path computes the same function; the tests compare them.
/// </summary>
public static class ChaCha20
{
    public const int KeySize = 32, NonceSize = 12, BlockSize = 64;

    // "expand 32-byte k", RFC 8439 §2.3.
    private const uint C0 = 0x61707865, C1 = 0x3320646e, C2 = 0x79622d32, C3 = 0x6b206574;

    /// <summary>The most blocks at a time this CPU can do: 8 (AVX2), 4 (SSE2) or 1.</summary>
    public static int Widest { get; } = Avx2.IsSupported ? 8 : Sse2.IsSupported ? 4 : 1;

    /// <summary>output = input XOR the key stream from block <paramref name="counter"/> on (RFC 8439 §2.4).</summary>
    public static void Xor(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, uint counter, ReadOnlySpan<byte> input, Span<byte> output) =>
        Xor(key, nonce, counter, input, output, Widest);

    /// <summary>As above with at most <paramref name="widest"/> blocks at a time (8, 4 or 1), so tests can run each path.</summary>
    public static void Xor(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, uint counter, ReadOnlySpan<byte> input, Span<byte> output,
        int widest)
    {
        if (widest > Widest) throw new ArgumentException($"this CPU does at most {Widest} blocks at a time", nameof(widest));
        if (key.Length != KeySize) throw new ArgumentException("ChaCha20 wants a 32-byte key", nameof(key));
        if (nonce.Length != NonceSize) throw new ArgumentException("ChaCha20 wants a 12-byte nonce", nameof(nonce));
        if (output.Length < input.Length) throw new ArgumentException("output shorter than input", nameof(output));
        if ((ulong)counter + (ulong)((input.Length + BlockSize - 1) / BlockSize) > 1UL << 32)
            throw new ArgumentException("the 32-bit block counter would wrap", nameof(input));

        Span<uint> s = stackalloc uint[16];
        s[0] = C0; s[1] = C1; s[2] = C2; s[3] = C3;
        for (int i = 0; i < 8; i++) s[4 + i] = BinaryPrimitives.ReadUInt32LittleEndian(key[(4 * i)..]);
        s[12] = counter;
        for (int i = 0; i < 3; i++) s[13 + i] = BinaryPrimitives.ReadUInt32LittleEndian(nonce[(4 * i)..]);

        int at = 0;
        if (widest >= 8)
            for (; input.Length - at >= 8 * BlockSize; at += 8 * BlockSize, s[12] += 8)
                EightBlocks(s, input[at..], output[at..]);
        if (widest >= 4)
            for (; input.Length - at >= 4 * BlockSize; at += 4 * BlockSize, s[12] += 4)
                FourBlocks(s, input[at..], output[at..]);
        Span<byte> block = stackalloc byte[BlockSize];
        for (; at < input.Length; at += BlockSize, s[12]++)
        {
            OneBlock(s, block);
            int n = Math.Min(BlockSize, input.Length - at);
            for (int i = 0; i < n; i++) output[at + i] = (byte)(input[at + i] ^ block[i]);
        }
        block.Clear();
        s.Clear();
    }

    /// <summary>The block function (§2.3): 20 rounds over the state, the state added back, serialised little-endian.</summary>
    internal static void OneBlock(ReadOnlySpan<uint> s, Span<byte> block)
    {
        uint x0 = s[0], x1 = s[1], x2 = s[2], x3 = s[3], x4 = s[4], x5 = s[5], x6 = s[6], x7 = s[7];
        uint x8 = s[8], x9 = s[9], x10 = s[10], x11 = s[11], x12 = s[12], x13 = s[13], x14 = s[14], x15 = s[15];
        for (int i = 0; i < 10; i++)
        {
            Quarter(ref x0, ref x4, ref x8, ref x12); Quarter(ref x1, ref x5, ref x9, ref x13);
            Quarter(ref x2, ref x6, ref x10, ref x14); Quarter(ref x3, ref x7, ref x11, ref x15);
            Quarter(ref x0, ref x5, ref x10, ref x15); Quarter(ref x1, ref x6, ref x11, ref x12);
            Quarter(ref x2, ref x7, ref x8, ref x13); Quarter(ref x3, ref x4, ref x9, ref x14);
        }
        ReadOnlySpan<uint> x = [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15];
        for (int i = 0; i < 16; i++) BinaryPrimitives.WriteUInt32LittleEndian(block[(4 * i)..], x[i] + s[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter(ref uint a, ref uint b, ref uint c, ref uint d)
    {
        a += b; d = BitOperations.RotateLeft(d ^ a, 16);
        c += d; b = BitOperations.RotateLeft(b ^ c, 12);
        a += b; d = BitOperations.RotateLeft(d ^ a, 8);
        c += d; b = BitOperations.RotateLeft(b ^ c, 7);
    }

    /// <summary>Blocks counter … counter+7, lane i of word register j holding word j of block i.</summary>
    private static void EightBlocks(ReadOnlySpan<uint> s, ReadOnlySpan<byte> input, Span<byte> output)
    {
        // Sixteen locals, not an array: the JIT keeps them in the sixteen vector registers (with a few spills).
        var x0 = Vector256.Create(s[0]);
        var x1 = Vector256.Create(s[1]);
        var x2 = Vector256.Create(s[2]);
        var x3 = Vector256.Create(s[3]);
        var x4 = Vector256.Create(s[4]);
        var x5 = Vector256.Create(s[5]);
        var x6 = Vector256.Create(s[6]);
        var x7 = Vector256.Create(s[7]);
        var x8 = Vector256.Create(s[8]);
        var x9 = Vector256.Create(s[9]);
        var x10 = Vector256.Create(s[10]);
        var x11 = Vector256.Create(s[11]);
        var x13 = Vector256.Create(s[13]);
        var x14 = Vector256.Create(s[14]);
        var x15 = Vector256.Create(s[15]);
        var x12 = Vector256.Create(s[12]) + Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        var counters = x12;
        for (int i = 0; i < 10; i++)
        {
            x0 += x4; x12 = Rotl(x12 ^ x0, 16); x8 += x12; x4 = Rotl(x4 ^ x8, 12);
            x0 += x4; x12 = Rotl(x12 ^ x0, 8); x8 += x12; x4 = Rotl(x4 ^ x8, 7);
            x1 += x5; x13 = Rotl(x13 ^ x1, 16); x9 += x13; x5 = Rotl(x5 ^ x9, 12);
            x1 += x5; x13 = Rotl(x13 ^ x1, 8); x9 += x13; x5 = Rotl(x5 ^ x9, 7);
            x2 += x6; x14 = Rotl(x14 ^ x2, 16); x10 += x14; x6 = Rotl(x6 ^ x10, 12);
            x2 += x6; x14 = Rotl(x14 ^ x2, 8); x10 += x14; x6 = Rotl(x6 ^ x10, 7);
            x3 += x7; x15 = Rotl(x15 ^ x3, 16); x11 += x15; x7 = Rotl(x7 ^ x11, 12);
            x3 += x7; x15 = Rotl(x15 ^ x3, 8); x11 += x15; x7 = Rotl(x7 ^ x11, 7);
            x0 += x5; x15 = Rotl(x15 ^ x0, 16); x10 += x15; x5 = Rotl(x5 ^ x10, 12);
            x0 += x5; x15 = Rotl(x15 ^ x0, 8); x10 += x15; x5 = Rotl(x5 ^ x10, 7);
            x1 += x6; x12 = Rotl(x12 ^ x1, 16); x11 += x12; x6 = Rotl(x6 ^ x11, 12);
            x1 += x6; x12 = Rotl(x12 ^ x1, 8); x11 += x12; x6 = Rotl(x6 ^ x11, 7);
            x2 += x7; x13 = Rotl(x13 ^ x2, 16); x8 += x13; x7 = Rotl(x7 ^ x8, 12);
            x2 += x7; x13 = Rotl(x13 ^ x2, 8); x8 += x13; x7 = Rotl(x7 ^ x8, 7);
            x3 += x4; x14 = Rotl(x14 ^ x3, 16); x9 += x14; x4 = Rotl(x4 ^ x9, 12);
            x3 += x4; x14 = Rotl(x14 ^ x3, 8); x9 += x14; x4 = Rotl(x4 ^ x9, 7);
        }
        x0 += Vector256.Create(s[0]);
        x1 += Vector256.Create(s[1]);
        x2 += Vector256.Create(s[2]);
        x3 += Vector256.Create(s[3]);
        x4 += Vector256.Create(s[4]);
        x5 += Vector256.Create(s[5]);
        x6 += Vector256.Create(s[6]);
        x7 += Vector256.Create(s[7]);
        x8 += Vector256.Create(s[8]);
        x9 += Vector256.Create(s[9]);
        x10 += Vector256.Create(s[10]);
        x11 += Vector256.Create(s[11]);
        x13 += Vector256.Create(s[13]);
        x14 += Vector256.Create(s[14]);
        x15 += Vector256.Create(s[15]);
        x12 += counters;
        // Words 0-7, then 8-15, of the eight blocks: an 8x8 transpose each, one block's half per register.
        Transpose8(x0, x1, x2, x3, x4, x5, x6, x7, input, output, 0);
        Transpose8(x8, x9, x10, x11, x12, x13, x14, x15, input, output, 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(Vector256<uint> a0, Vector256<uint> a1, Vector256<uint> a2, Vector256<uint> a3,
        Vector256<uint> a4, Vector256<uint> a5, Vector256<uint> a6, Vector256<uint> a7, ReadOnlySpan<byte> input, Span<byte> output, int o)
    {
        var t0 = Avx2.UnpackLow(a0, a1); var t1 = Avx2.UnpackHigh(a0, a1);
        var t2 = Avx2.UnpackLow(a2, a3); var t3 = Avx2.UnpackHigh(a2, a3);
        var t4 = Avx2.UnpackLow(a4, a5); var t5 = Avx2.UnpackHigh(a4, a5);
        var t6 = Avx2.UnpackLow(a6, a7); var t7 = Avx2.UnpackHigh(a6, a7);
        // u_k: the first four of these words for blocks k (low 128 bits) and k+4 (high); v_k: the other four.
        var u0 = Avx2.UnpackLow(t0.AsUInt64(), t2.AsUInt64()).AsUInt32(); var u1 = Avx2.UnpackHigh(t0.AsUInt64(), t2.AsUInt64()).AsUInt32();
        var u2 = Avx2.UnpackLow(t1.AsUInt64(), t3.AsUInt64()).AsUInt32(); var u3 = Avx2.UnpackHigh(t1.AsUInt64(), t3.AsUInt64()).AsUInt32();
        var v0 = Avx2.UnpackLow(t4.AsUInt64(), t6.AsUInt64()).AsUInt32(); var v1 = Avx2.UnpackHigh(t4.AsUInt64(), t6.AsUInt64()).AsUInt32();
        var v2 = Avx2.UnpackLow(t5.AsUInt64(), t7.AsUInt64()).AsUInt32(); var v3 = Avx2.UnpackHigh(t5.AsUInt64(), t7.AsUInt64()).AsUInt32();
        XorStore(Avx2.Permute2x128(u0, v0, 0x20), input, output, 0 * BlockSize + o);
        XorStore(Avx2.Permute2x128(u1, v1, 0x20), input, output, 1 * BlockSize + o);
        XorStore(Avx2.Permute2x128(u2, v2, 0x20), input, output, 2 * BlockSize + o);
        XorStore(Avx2.Permute2x128(u3, v3, 0x20), input, output, 3 * BlockSize + o);
        XorStore(Avx2.Permute2x128(u0, v0, 0x31), input, output, 4 * BlockSize + o);
        XorStore(Avx2.Permute2x128(u1, v1, 0x31), input, output, 5 * BlockSize + o);
        XorStore(Avx2.Permute2x128(u2, v2, 0x31), input, output, 6 * BlockSize + o);
        XorStore(Avx2.Permute2x128(u3, v3, 0x31), input, output, 7 * BlockSize + o);
    }

    /// <summary>Blocks counter … counter+3 in SSE2 registers, as <see cref="EightBlocks"/> does with AVX2.</summary>
    private static void FourBlocks(ReadOnlySpan<uint> s, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var x0 = Vector128.Create(s[0]);
        var x1 = Vector128.Create(s[1]);
        var x2 = Vector128.Create(s[2]);
        var x3 = Vector128.Create(s[3]);
        var x4 = Vector128.Create(s[4]);
        var x5 = Vector128.Create(s[5]);
        var x6 = Vector128.Create(s[6]);
        var x7 = Vector128.Create(s[7]);
        var x8 = Vector128.Create(s[8]);
        var x9 = Vector128.Create(s[9]);
        var x10 = Vector128.Create(s[10]);
        var x11 = Vector128.Create(s[11]);
        var x13 = Vector128.Create(s[13]);
        var x14 = Vector128.Create(s[14]);
        var x15 = Vector128.Create(s[15]);
        var x12 = Vector128.Create(s[12]) + Vector128.Create(0u, 1, 2, 3);
        var counters = x12;
        for (int i = 0; i < 10; i++)
        {
            x0 += x4; x12 = Rotl(x12 ^ x0, 16); x8 += x12; x4 = Rotl(x4 ^ x8, 12);
            x0 += x4; x12 = Rotl(x12 ^ x0, 8); x8 += x12; x4 = Rotl(x4 ^ x8, 7);
            x1 += x5; x13 = Rotl(x13 ^ x1, 16); x9 += x13; x5 = Rotl(x5 ^ x9, 12);
            x1 += x5; x13 = Rotl(x13 ^ x1, 8); x9 += x13; x5 = Rotl(x5 ^ x9, 7);
            x2 += x6; x14 = Rotl(x14 ^ x2, 16); x10 += x14; x6 = Rotl(x6 ^ x10, 12);
            x2 += x6; x14 = Rotl(x14 ^ x2, 8); x10 += x14; x6 = Rotl(x6 ^ x10, 7);
            x3 += x7; x15 = Rotl(x15 ^ x3, 16); x11 += x15; x7 = Rotl(x7 ^ x11, 12);
            x3 += x7; x15 = Rotl(x15 ^ x3, 8); x11 += x15; x7 = Rotl(x7 ^ x11, 7);
            x0 += x5; x15 = Rotl(x15 ^ x0, 16); x10 += x15; x5 = Rotl(x5 ^ x10, 12);
            x0 += x5; x15 = Rotl(x15 ^ x0, 8); x10 += x15; x5 = Rotl(x5 ^ x10, 7);
            x1 += x6; x12 = Rotl(x12 ^ x1, 16); x11 += x12; x6 = Rotl(x6 ^ x11, 12);
            x1 += x6; x12 = Rotl(x12 ^ x1, 8); x11 += x12; x6 = Rotl(x6 ^ x11, 7);
            x2 += x7; x13 = Rotl(x13 ^ x2, 16); x8 += x13; x7 = Rotl(x7 ^ x8, 12);
            x2 += x7; x13 = Rotl(x13 ^ x2, 8); x8 += x13; x7 = Rotl(x7 ^ x8, 7);
            x3 += x4; x14 = Rotl(x14 ^ x3, 16); x9 += x14; x4 = Rotl(x4 ^ x9, 12);
            x3 += x4; x14 = Rotl(x14 ^ x3, 8); x9 += x14; x4 = Rotl(x4 ^ x9, 7);
        }
        x0 += Vector128.Create(s[0]);
        x1 += Vector128.Create(s[1]);
        x2 += Vector128.Create(s[2]);
        x3 += Vector128.Create(s[3]);
        x4 += Vector128.Create(s[4]);
        x5 += Vector128.Create(s[5]);
        x6 += Vector128.Create(s[6]);
        x7 += Vector128.Create(s[7]);
        x8 += Vector128.Create(s[8]);
        x9 += Vector128.Create(s[9]);
        x10 += Vector128.Create(s[10]);
        x11 += Vector128.Create(s[11]);
        x13 += Vector128.Create(s[13]);
        x14 += Vector128.Create(s[14]);
        x15 += Vector128.Create(s[15]);
        x12 += counters;
        // Four 4x4 transposes: words w..w+3 of block k end up in one register.
        Transpose4(x0, x1, x2, x3, input, output, 0);
        Transpose4(x4, x5, x6, x7, input, output, 16);
        Transpose4(x8, x9, x10, x11, input, output, 32);
        Transpose4(x12, x13, x14, x15, input, output, 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(Vector128<uint> a0, Vector128<uint> a1, Vector128<uint> a2, Vector128<uint> a3,
        ReadOnlySpan<byte> input, Span<byte> output, int o)
    {
        var t0 = Sse2.UnpackLow(a0, a1); var t1 = Sse2.UnpackHigh(a0, a1);
        var t2 = Sse2.UnpackLow(a2, a3); var t3 = Sse2.UnpackHigh(a2, a3);
        XorStore(Sse2.UnpackLow(t0.AsUInt64(), t2.AsUInt64()).AsUInt32(), input, output, 0 * BlockSize + o);
        XorStore(Sse2.UnpackHigh(t0.AsUInt64(), t2.AsUInt64()).AsUInt32(), input, output, 1 * BlockSize + o);
        XorStore(Sse2.UnpackLow(t1.AsUInt64(), t3.AsUInt64()).AsUInt32(), input, output, 2 * BlockSize + o);
        XorStore(Sse2.UnpackHigh(t1.AsUInt64(), t3.AsUInt64()).AsUInt32(), input, output, 3 * BlockSize + o);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotl(Vector256<uint> v, int n) => Vector256.ShiftLeft(v, n) | Vector256.ShiftRightLogical(v, 32 - n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Rotl(Vector128<uint> v, int n) => Vector128.ShiftLeft(v, n) | Vector128.ShiftRightLogical(v, 32 - n);

    // The key stream is little-endian words; these paths run only on x86, which is little-endian.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorStore(Vector256<uint> ks, ReadOnlySpan<byte> input, Span<byte> output, int at) =>
        (Vector256.Create(input.Slice(at, 32)) ^ ks.AsByte()).CopyTo(output.Slice(at, 32));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorStore(Vector128<uint> ks, ReadOnlySpan<byte> input, Span<byte> output, int at) =>
        (Vector128.Create(input.Slice(at, 16)) ^ ks.AsByte()).CopyTo(output.Slice(at, 16));
}
