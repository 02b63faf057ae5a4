namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// Whom an output is encrypted to (--encrypt-to, --encrypt-to-file): the owner and any escrow.
/// Makes a fresh file key and the header that wraps it for every recipient.
/// </summary>
public sealed class AgeRecipientSet
{
    public AgeRecipientSet(IEnumerable<AgeX25519Recipient> recipients)
    {
        Recipients = [.. recipients];
        if (Recipients.Count == 0) throw new ArgumentException("at least one recipient is needed");
    }

    public IReadOnlyList<AgeX25519Recipient> Recipients { get; }

    /// <summary>
    /// The set from recipient strings and recipients files; null when both are empty (no encryption).
    /// A recipient that does not parse is an ArgumentException naming it (a usage error to the CLI).
    /// </summary>
    public static AgeRecipientSet? From(IEnumerable<string>? recipients, IEnumerable<string>? recipientFiles)
    {
        var list = new List<AgeX25519Recipient>();
        foreach (var r in recipients ?? [])
            list.Add(AgeX25519Recipient.TryParse(r.Trim(), out var p) && p is not null ? p
                : throw new ArgumentException($"--encrypt-to {r}: not an age X25519 recipient (age1…)"));
        foreach (var f in recipientFiles ?? []) list.AddRange(AgeKeyFile.ReadRecipients(f));
        return list.Count == 0 ? null : new AgeRecipientSet(list);
    }

    /// <summary>A new file key and the header bytes carrying it (one X25519 stanza per recipient).</summary>
    public byte[] NewHeader(out byte[] fileKey)
    {
        fileKey = SystemRandom.Bytes(AgeLayout.FileKeySize);
        var key = fileKey;
        return AgeHeader.Encode(Recipients.Select(r => r.Wrap(key)).ToList(), key);
    }
}
