using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.IO;
using Xunit;

namespace HvDumpKit.Tests.Builders;

/// <summary>Reading back what the age writers wrote: the shared part of AgeOutputTests and AgePlaintextStreamTests.</summary>
public static class AgePlaintext
{
    /// <summary>Ciphertext bytes opened with one identity.</summary>
    public static AgeInput Open(byte[] ciphertext, AgeX25519Identity identity) =>
        AgeInput.Open(new MemoryInput(ciphertext), new AgeKeyring([identity]));

    /// <summary>All of input's plaintext, read as a caller would: ReadAt until the end, each read giving something.</summary>
    public static byte[] ReadToEnd(IRandomAccessInput input)
    {
        var back = new byte[input.Length];
        int at = 0;
        while (at < back.Length)
        {
            int n = input.ReadAt(at, back.AsSpan(at));
            Assert.True(n > 0);
            at += n;
        }
        return back;
    }
}
