using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Tests.Reader.Crypto.Age;

/// <summary>Age files made in memory by our own writer, for reader tests.</summary>
public static class AgeTestFiles
{
    public static byte[] Encrypt(byte[] plaintext, params AgeX25519Recipient[] recipients)
    {
        using var ms = new MemoryStream();
        using var sink = AgeEncryptingSink.ForStream(new AgeRecipientSet(recipients), ms);
        sink.WriteAt(0, plaintext);
        sink.Complete();
        return ms.ToArray();
    }
}
