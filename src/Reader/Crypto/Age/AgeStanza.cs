namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>One recipient stanza of an age header: "-> TYPE ARG…" and its body (age spec §Header).</summary>
/// <param name="Offset">Where its "-> " line starts in the file, for error messages.</param>
public sealed record AgeStanza(string Type, IReadOnlyList<string> Args, byte[] Body, long Offset);
