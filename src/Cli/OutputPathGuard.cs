namespace HvDumpKit.Cli;

/// <summary>
/// An output path that starts with '-' is almost always an option typed in the wrong place
/// (`hvdump convert IN --help`, or a script that passed a flag where a file name was expected):
/// creating a file named `--help` is a surprise that even ends up committed. Such a path is taken
/// only after `--`, as getopt-style tools do; "-" alone stays stdout where a verb allows it.
/// </summary>
public static class OutputPathGuard
{
    /// <summary>Throws a UsageException naming <paramref name="what"/> unless the path is safe or came after `--`.</summary>
    public static void Check(string? path, string what, IReadOnlyList<string> args)
    {
        if (path is null || path == "-" || !path.StartsWith('-')) return;
        int dashDash = IndexOf(args, "--");
        for (int i = dashDash + 1; dashDash >= 0 && i < args.Count; i++)
            if (args[i] == path) return;
        throw new UsageException($"{what} '{path}' starts with '-' and looks like an option; to use it as a file name, give it after --");
    }

    private static int IndexOf(IReadOnlyList<string> args, string s)
    {
        for (int i = 0; i < args.Count; i++)
            if (args[i] == s) return i;
        return -1;
    }
}
