using System.Diagnostics.CodeAnalysis;
using CommandLine;
using HvDumpKit.Cli.Verbs;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Writers.Output;

namespace HvDumpKit.Cli;

public static class Program
{
    // CommandLineParser binds options by reflection; under NativeAOT the option types must be kept.
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(InfoOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ConvertOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(DmesgOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(VerifyOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(ManifestOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(DiffOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(SaveOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(DecryptOptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(KeygenOptions))]
    public static int Main(string[] args)
    {
        try
        {
            // Invoked through a symlink named makedumpfile: answer to makedumpfile's command line.
            if (InvokedName() == "makedumpfile") return MakedumpfileVerb.Run(args, Console.Out, Console.Error);
            return Run(args, Console.Out, Console.Error);
        }
        catch (Exception ex)
        {
            // A bug, not bad input (those are handled in Run); still one line for the user, never a
            // stack trace in a capture kernel's console. Tests call Run and see the exception itself.
            Console.Error.WriteLine(InternalErrorLine(ex));
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// argv[0] as the user typed it. The apphost reports the managed dll as argument 0, so read
    /// the kernel's copy of the command line; NativeAOT and the apphost agree on it.
    /// </summary>
    private static string InvokedName()
    {
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            int nul = Array.IndexOf(cmdline, (byte)0);
            return Path.GetFileName(System.Text.Encoding.UTF8.GetString(cmdline, 0, nul < 0 ? cmdline.Length : nul));
        }
        catch (IOException) { return Path.GetFileName(Environment.GetCommandLineArgs().FirstOrDefault() ?? ""); }
    }

    /// <summary>
    /// The options that repeat (owner plus escrow recipients, several identities). CommandLineParser 2.9.1 counts the values of
    /// every occurrence together against Max = 1, so a second occurrence's value became the first operand (the escrow
    /// recipient was dropped, or `--identity a --identity b DUMP` read b as the dump): Parse hands the parser the first
    /// occurrence only and adds the later ones' values to what it parsed.
    /// </summary>
    private static readonly string[] Repeatable = ["--identity", "--encrypt-to", "--encrypt-to-file"];

    /// <summary>The verbs' command line, parsed with the settings Run uses (the option classes' tests parse with it too).</summary>
    public static ParserResult<object> Parse(IEnumerable<string> args)
    {
        var all = args.ToList();
        var kept = new List<string>();
        var later = new Dictionary<string, List<string>>();
        for (int i = 0; i < all.Count; i++)
        {
            string a = all[i];
            if (a == "--") { kept.AddRange(all.Skip(i)); break; }
            string? name = Repeatable.FirstOrDefault(r => a == r || a.StartsWith(r + "=", StringComparison.Ordinal));
            bool attached = name is not null && a.Length > name.Length;
            // Not one of them, or one without its value: the parser sees it as given (and reports the missing value).
            if (name is null || (!attached && i + 1 >= all.Count)) { kept.Add(a); continue; }
            string value = attached ? a[(name.Length + 1)..] : all[++i];
            if (later.TryGetValue(name, out var values)) { values.Add(value); continue; }
            later[name] = [];
            kept.AddRange(attached ? [a] : [a, value]);
        }
        var result = ParseOnce(kept);
        result.WithParsed(o => AddLater(o, later));
        return result;
    }

    private static void AddLater(object options, Dictionary<string, List<string>> later)
    {
        IEnumerable<string> With(IEnumerable<string> first, string name) =>
            later.TryGetValue(name, out var more) && more.Count > 0 ? [.. first, .. more] : first;
        if (options is IIdentityOptions i) i.Identity = With(i.Identity, "--identity");
        if (options is IRecipientOptions r)
        {
            r.EncryptTo = With(r.EncryptTo, "--encrypt-to");
            r.EncryptToFile = With(r.EncryptToFile, "--encrypt-to-file");
        }
    }

    private static ParserResult<object> ParseOnce(IEnumerable<string> args)
    {
        var parser = new Parser(s =>
        {
            s.HelpWriter = null;
            s.CaseSensitive = true;
            s.CaseInsensitiveEnumValues = true;
            s.EnableDashDash = true; // after --, an output path may start with '-' (OutputPathGuard)
            s.AllowMultiInstance = true; // --encrypt-to and --identity repeat (owner plus escrow)
        });
        return parser.ParseArguments<InfoOptions, ConvertOptions, DmesgOptions, VerifyOptions, ManifestOptions, DiffOptions,
            SaveOptions, DecryptOptions, KeygenOptions>(args);
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] == "makedumpfile") return MakedumpfileVerb.Run(args[1..], stdout, stderr);
        if (args is ["--version"] or ["version"]) return VersionText.Print(stdout);
        var result = Parse(args);
        try
        {
            result.WithParsed<ConvertOptions>(o => OutputPathGuard.Check(o.Output, "OUT", args))
                .WithParsed<DmesgOptions>(o => OutputPathGuard.Check(o.Output, "OUT", args))
                .WithParsed<ManifestOptions>(o => OutputPathGuard.Check(o.Output, "--output", args))
                .WithParsed<SaveOptions>(o => OutputPathGuard.Check(o.Target, "TARGET_DIR", args));
            return result.MapResult(
                (InfoOptions o) => InfoVerb.Run(o, stdout, stderr),
                (ConvertOptions o) => ConvertVerb.Run(o, stdout, stderr),
                (DmesgOptions o) => DmesgVerb.Run(o, stdout, stderr),
                (VerifyOptions o) => VerifyVerb.Run(o, stdout, stderr),
                (ManifestOptions o) => VerifyVerb.Manifest(o, stdout, stderr),
                (DiffOptions o) => VerifyVerb.Diff(o, stdout, stderr),
                (SaveOptions o) => SaveVerb.Run(o, stdout, stderr),
                (DecryptOptions o) => DecryptVerb.Run(o, stdout, stderr),
                (KeygenOptions o) => KeygenVerb.Run(o, stdout, stderr),
                errs => Help(result, errs, stdout, stderr));
        }
        catch (DumpFormatException ex) { return Fail(stderr, ex.Message, ExitCodes.BadInput); }
        catch (UsageException ex) { return Fail(stderr, ex.Message, ExitCodes.Usage); }
        catch (OutputRefusedException ex) { return Fail(stderr, ex.Message, ExitCodes.BadInput); }
        catch (NotSupportedException ex) { return Fail(stderr, "not supported: " + ex.Message, ExitCodes.BadInput); }
        catch (FileNotFoundException ex) { return Fail(stderr, $"{ex.FileName}: no such file", ExitCodes.BadInput); }
        catch (DirectoryNotFoundException ex) { return Fail(stderr, ex.Message, ExitCodes.BadInput); }
        catch (UnauthorizedAccessException ex) { return Fail(stderr, ex.Message, ExitCodes.BadInput); }
        catch (IOException ex) { return Fail(stderr, "I/O error: " + ex.Message, ExitCodes.BadInput); }
        catch (OperationCanceledException) { return Fail(stderr, "interrupted", ExitCodes.BadInput); }
    }

    /// <summary>The one line an escaped exception prints: it says it is a bug of hvdump's, not of the dump.</summary>
    public static string InternalErrorLine(Exception ex) =>
        $"hvdump: internal error, a bug in hvdump ({ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}); please report it";

    private static int Fail(TextWriter stderr, string message, int code)
    {
        stderr.WriteLine($"hvdump: {message}");
        return code;
    }

    private static int Help<T>(ParserResult<T> result, IEnumerable<Error> errs, TextWriter stdout, TextWriter stderr)
    {
        var list = errs.ToList();
        bool asked = list.Any(e => e is HelpRequestedError or HelpVerbRequestedError or VersionRequestedError);
        var text = CommandLine.Text.HelpText.AutoBuild(result, h =>
        {
            h.Heading = "hvdump — Linux crash dump toolkit (HvDumpKit)";
            h.Copyright = "";
            h.AddDashesToOption = true;
            return h;
        }, e => e, verbsIndex: true);
        (asked ? stdout : stderr).WriteLine(text);
        return asked ? ExitCodes.Ok : ExitCodes.Usage;
    }
}
