using HvDumpKit.Cli;

namespace HvDumpKit.Tests.Builders;

/// <summary>Runs the hvdump entry point in-process and captures its streams.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return new Result(code, o.ToString(), e.ToString());
    }
}
