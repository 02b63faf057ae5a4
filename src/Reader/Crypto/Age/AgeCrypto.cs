using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// The primitives age v1 is built from, all managed code: .NET's own ChaCha20Poly1305, HKDF and X25519 load
/// OpenSSL at run time, which a capture initramfs lacks. HKDF, HMAC and X25519 are BouncyCastle's; the payload
/// cipher, ChaCha20-Poly1305, is ours (HvDumpKit.Reader.Crypto), vectorised, since every byte of a dump goes
/// through it (BouncyCastle's ran at about 200 MB/s a core here).
/// </summary>
public static class AgeCrypto
{
    public static byte[] Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, string info, int length = AgeLayout.KeySize)
    {
        var g = new HkdfBytesGenerator(new Sha256Digest());
        g.Init(new HkdfParameters(ikm.ToArray(), salt.ToArray(), System.Text.Encoding.ASCII.GetBytes(info)));
        var r = new byte[length];
        g.GenerateBytes(r, 0, length);
        return r;
    }

    public static byte[] HmacSha256(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        var mac = new HMac(new Sha256Digest());
        mac.Init(new KeyParameter(key.ToArray()));
        mac.BlockUpdate(message);
        var r = new byte[mac.GetMacSize()];
        mac.DoFinal(r, 0);
        return r;
    }

    /// <summary>X25519(k, u) (RFC 7748); false when the result is all zero (a low-order point), which age must reject.</summary>
    public static bool X25519(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> point, Span<byte> shared)
    {
        byte[] r = new byte[32];
        Org.BouncyCastle.Math.EC.Rfc7748.X25519.ScalarMult(scalar.ToArray(), 0, point.ToArray(), 0, r, 0);
        r.CopyTo(shared);
        int acc = 0;
        foreach (var b in r) acc |= b; // every byte looked at: no early exit on secret data
        return acc != 0;
    }

    public static byte[] X25519Base(ReadOnlySpan<byte> scalar)
    {
        byte[] r = new byte[32];
        Org.BouncyCastle.Math.EC.Rfc7748.X25519.ScalarMultBase(scalar.ToArray(), 0, r, 0);
        return r;
    }

    /// <summary>A reusable ChaCha20-Poly1305 (RFC 8439) for one key; not thread-safe.</summary>
    public sealed class Aead(byte[] key)
    {
        private readonly ChaCha20Poly1305 _cipher = new(key);

        /// <summary>Writes plaintext.Length + 16 bytes to output.</summary>
        public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> output) =>
            _cipher.Seal(nonce, plaintext, output);

        /// <summary>False when the tag does not verify; output then holds nothing to use.</summary>
        public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, Span<byte> output) =>
            _cipher.Open(nonce, sealedData, output);
    }
}
