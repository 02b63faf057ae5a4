using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.IO;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Cli.Verbs;

/// <summary>
/// `hvdump decrypt IN OUT --identity FILE`: age -d for dumps. OUT is written under a temporary
/// 0600 name and renamed only after the last chunk authenticated, so a tampered or cut-short
/// file never leaves plaintext under OUT.
/// </summary>
public static class DecryptVerb
{
    public static int Run(DecryptOptions o, TextWriter stdout, TextWriter stderr)
    {
        var files = o.Identity.ToList();
        if (files.Count == 0) throw new UsageException("decrypt needs --identity FILE (an AGE-SECRET-KEY-1… identity)");
        var keys = new AgeKeyring(files.SelectMany(AgeKeyFile.ReadIdentities));
        using var input = AgeInput.Open(new PlainFileInput(o.Input), keys);
        if (o.Output == "-")
        {
            using var so = Console.OpenStandardOutput();
            Copy(input, so);
            return ExitCodes.Ok;
        }
        using var output = OutputFile.Create(o.Output, o.Force, [o.Input]);
        long bytes = Copy(input, output.Stream);
        output.Commit(sync: true);
        stderr.WriteLine($"hvdump: decrypted {o.Input} to {o.Output} ({bytes} bytes)");
        return ExitCodes.Ok;
    }

    private static long Copy(AgeInput input, Stream to)
    {
        var buffer = new byte[1 << 20];
        long at = 0;
        while (at < input.Length)
        {
            int n = input.ReadAt(at, buffer);
            to.Write(buffer, 0, n);
            at += n;
        }
        to.Flush();
        return at;
    }
}
