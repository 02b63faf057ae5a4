namespace HvDumpKit.Tests.Reader.Codecs;

/// <summary>Pages every codec test compresses: text-like (compressible) and random (not).</summary>
internal static class CodecPages
{
    public static byte[] Text(int size = 4096) =>
        Enumerable.Range(0, size).Select(i => (byte)"the quick brown fox jumps over the lazy dog "[i % 44]).ToArray();

    public static byte[] Random(int size = 4096, int seed = 5)
    {
        var b = new byte[size];
        new System.Random(seed).NextBytes(b);
        return b;
    }
}
