namespace HvDumpKit.Writers.Output;

/// <summary>
/// Where an output goes, as the caller knows it: a regular file (seekable, can be synced) or a
/// stream that can do neither (stdout, a pipe). DumpWriters.Create chooses the sink from it, so
/// whether an output is durable is stated here, by whoever opened it.
/// </summary>
public sealed class OutputTarget
{
    private OutputTarget(Stream stream, FileStream? file, bool ownsStream)
    {
        Stream = stream;
        File = file;
        OwnsStream = ownsStream;
    }

    public Stream Stream { get; }
    /// <summary>age recipients the output is encrypted to (hvdump --encrypt-to), else null: plaintext.</summary>
    public Reader.Crypto.Age.AgeRecipientSet? Recipients { get; private init; }
    /// <summary>The regular file, or null for a stream that cannot seek or be synced.</summary>
    public FileStream? File { get; }
    public bool OwnsStream { get; }

    /// <summary>A regular file opened for writing (the caller keeps owning it).</summary>
    public static OutputTarget ToFile(FileStream file)
    {
        if (!file.CanSeek) throw new ArgumentException($"{file.Name} is not a regular file; use ToStream", nameof(file));
        return new OutputTarget(file, file, ownsStream: false);
    }

    /// <summary>The same target, its output age-encrypted to recipients (null: unchanged).</summary>
    public OutputTarget EncryptedTo(Reader.Crypto.Age.AgeRecipientSet? recipients) =>
        recipients is null ? this : new OutputTarget(Stream, File, OwnsStream) { Recipients = recipients };

    /// <summary>A stream that can neither seek nor be made durable (stdout, a pipe).</summary>
    public static OutputTarget ToStream(Stream stream, bool ownsStream) => new(stream, null, ownsStream);
}
