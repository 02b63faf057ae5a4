using CommandLine;

namespace HvDumpKit.Cli;

[Verb("decrypt",
    HelpText = "Decrypt an age-encrypted dump (or any age file) to OUT, created 0600; the plaintext never lands under OUT " +
        "unless every chunk authenticates.")]
public sealed class DecryptOptions : IIdentityOptions
{
    [Value(0, MetaName = "IN", Required = true, HelpText = "age-encrypted file.")]
    public string Input { get; set; } = "";

    [Value(1, MetaName = "OUT", Required = true, HelpText = "Plaintext output; '-' writes to stdout.")]
    public string Output { get; set; } = "";

    [Option("identity", Max = 1, HelpText = "age identity file (AGE-SECRET-KEY-1…); repeatable.")]
    public IEnumerable<string> Identity { get; set; } = [];

    [Option("force", HelpText = "Overwrite an existing OUT.")]
    public bool Force { get; set; }
}

[Verb("keygen", HelpText = "Generate an age X25519 identity (like age-keygen): the file is created 0600, its recipient printed.")]
public sealed class KeygenOptions
{
    [Option('o', "output", HelpText = "Write the identity to this file (default stdout).")]
    public string? Output { get; set; }

    [Option("force", HelpText = "Overwrite an existing file.")]
    public bool Force { get; set; }
}
