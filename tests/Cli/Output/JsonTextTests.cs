using HvDumpKit.Cli;
using Xunit;

namespace HvDumpKit.Tests.Cli.Output;

/// <summary>Every verb's --json: one indented object and a newline.</summary>
public sealed class JsonTextTests
{
    [Fact]
    public void Object_IndentedThenNewline() =>
        Assert.Equal("{\n  \"format\": \"kdump\",\n  \"pages\": 48\n}\n", JsonText.Object(w =>
        {
            w.WriteString("format", "kdump");
            w.WriteNumber("pages", 48);
        }));
}
