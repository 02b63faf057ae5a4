using CommandLine;
using HvDumpKit.Cli;
using Xunit;

namespace HvDumpKit.Tests.Builders;

/// <summary>A verb's command line parsed as hvdump parses it (Program.Parse), for the option classes' own tests.</summary>
public static class ParsedOptions
{
    /// <summary>The options of verb T that args parse to; fails the test if they do not parse or parse to another verb.</summary>
    public static T Of<T>(params string[] args)
    {
        var result = Program.Parse(args);
        Assert.True(result.Tag == ParserResultType.Parsed, string.Join("; ", result.Errors ?? []));
        return Assert.IsType<T>(result.Value);
    }

    /// <summary>Why args do not parse: CommandLineParser's errors.</summary>
    public static IReadOnlyList<Error> Errors(params string[] args)
    {
        var result = Program.Parse(args);
        Assert.Equal(ParserResultType.NotParsed, result.Tag);
        return [.. result.Errors];
    }
}
