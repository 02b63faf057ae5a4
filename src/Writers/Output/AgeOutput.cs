using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Writers.Flattened;
using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Writers.Output;

/// <summary>
/// The one place a command asks for its output sink with or without age encryption, so each call
/// site stays one line: with no recipients these return the plain sinks they always did.
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
                "--format raw with --encrypt-to: the image's .json sidecar would hold the dump's notes in plaintext; use kdump, elf or flat");
    }

    /// <summary>A seekable file (pwrite); syncOnComplete fsyncs the last chunks (the release protocol needs them durable).</summary>
    public static IOutputSink File(AgeRecipientSet? recipients, SafeFileHandle handle, bool syncOnComplete = false) =>
        recipients is null ? new FileSink(handle, ownsHandle: false) : AgeEncryptingSink.ForFile(recipients, handle, syncOnComplete);

    /// <summary>A flattened stream, into a file or stdout.</summary>
    public static IOutputSink Flattened(AgeRecipientSet? recipients, Stream stream, bool ownsStream, bool syncOnComplete = false) =>
        recipients is null ? new FlattenedSink(stream, ownsStream)
            : new AgeFlattenedSink(AgeEncryptingSink.ForStream(recipients, stream, syncOnComplete), ownsStream ? stream : null);

    /// <summary>Writes a whole small file's bytes (vmcore-dmesg.txt), encrypted when there are recipients.</summary>
    public static void WriteAll(AgeRecipientSet? recipients, Stream stream, ReadOnlySpan<byte> data)
    {
        if (recipients is null) { stream.Write(data); return; }
        using var age = AgeEncryptingSink.ForStream(recipients, stream);
        age.WriteAt(0, data);
        age.Complete();
    }
}
