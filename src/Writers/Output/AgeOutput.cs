using HvDumpKit.Reader.Crypto.Age;

namespace HvDumpKit.Writers.Output;

/// <summary>
/// What a command needs of age besides its dump's sink (which DumpWriters.Create makes from an
/// OutputTarget's recipients): the name suffix, the formats it refuses, and small whole files.
/// </summary>
public static class AgeOutput
{
    public const string Extension = ".age";

    /// <summary>".age" when encrypting: the suffix names a command chooses itself get (an explicit OUT is kept).</summary>
    public static string Suffix(AgeRecipientSet? recipients) => recipients is null ? "" : Extension;

    /// <summary>Refuses what cannot be encrypted whole: a raw image's sidecar holds the notes in plaintext.</summary>
    public static void CheckFormat(AgeRecipientSet? recipients, string format)
    {
        if (recipients is not null && format == "raw")
            throw new NotSupportedException(
                "--format raw with --encrypt-to: the image's .json sidecar would hold the dump's notes in plaintext; " +
                "use kdump, elf or flat");
    }

    /// <summary>Writes a whole small file's bytes (vmcore-dmesg.txt), encrypted when there are recipients.</summary>
    public static void WriteAll(AgeRecipientSet? recipients, Stream stream, ReadOnlySpan<byte> data)
    {
        if (recipients is null) { stream.Write(data); return; }
        using var age = AgeEncryptingSink.ForStream(recipients, stream);
        age.WriteAt(0, data);
        age.Complete();
    }
}
