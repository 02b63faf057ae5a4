namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// The identities a command was given with --identity, and the file key they unwrap from a header.
/// <see cref="Current"/> is scoped to the running command (an AsyncLocal, so parallel tests and
/// threads started from the command see their own): every input opened anywhere below a verb —
/// a split set's members, a conversion's read-back — decrypts with the same keys without a
/// parameter threaded through every reader API.
/// </summary>
public sealed class AgeKeyring
{
    private static readonly AsyncLocal<AgeKeyring?> Scoped = new();

    public AgeKeyring(IEnumerable<AgeX25519Identity> identities) => Identities = [.. identities];

    public IReadOnlyList<AgeX25519Identity> Identities { get; }

    /// <summary>The keys of the running command; null when it was given none.</summary>
    public static AgeKeyring? Current => Scoped.Value;

    /// <summary>Makes these identity files current until the result is disposed; no files, no change.</summary>
    public static IDisposable Use(IEnumerable<string>? identityFiles)
    {
        var files = identityFiles?.ToList() ?? [];
        return files.Count == 0 ? new Scope(Scoped.Value, restore: false)
            : Use(new AgeKeyring(files.SelectMany(AgeKeyFile.ReadIdentities)));
    }

    public static IDisposable Use(AgeKeyring keys)
    {
        var previous = Scoped.Value;
        Scoped.Value = keys;
        return new Scope(previous, restore: true);
    }

    /// <summary>
    /// The file key of header: the first X25519 stanza one of our identities opens, with the
    /// header MAC checked. Malformed X25519 stanzas fail the header before any is tried.
    /// </summary>
    public byte[] Unwrap(AgeHeader header, string path)
    {
        var x25519 = header.Stanzas.Where(s => s.Type == AgeLayout.X25519Type).ToList();
        foreach (var s in x25519) AgeX25519Identity.Validate(s, path);
        foreach (var s in x25519)
        {
            foreach (var id in Identities)
            {
                var key = id.Unwrap(s, path);
                if (key is null) continue;
                if (!header.MacMatches(key))
                    throw AgeHeaderReader.Error(path, header.MacedBytes.Length - 3, "age header MAC", null,
                        "does not verify: the header was altered");
                return key;
            }
        }
        throw new AgeIdentityException($"no identity matches any recipient of {path}");
    }

    private sealed class Scope(AgeKeyring? previous, bool restore) : IDisposable
    {
        public void Dispose() { if (restore) Scoped.Value = previous; }
    }
}
