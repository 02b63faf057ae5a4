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

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length > 0 && args[0] == "makedumpfile") return MakedumpfileVerb.Run(args[1..], stdout, stderr);
        if (args is ["--version"] or ["version"]) return VersionText.Print(stdout);
        var parser = new Parser(s =>
        {
            s.HelpWriter = null;
            s.CaseSensitive = true;
            s.CaseInsensitiveEnumValues = true;
            s.EnableDashDash = true; // after --, an output path may start with '-' (OutputPathGuard)
            s.AllowMultiInstance = true; // --encrypt-to and --identity repeat (owner plus escrow)
        });
        var result = parser.ParseArguments<InfoOptions, ConvertOptions, DmesgOptions, VerifyOptions, ManifestOptions, DiffOptions,
            SaveOptions, DecryptOptions, KeygenOptions>(args);
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
