using HvDumpKit.Cli;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Cli;

public sealed class ProgramTests
{
    [Fact]
    public void InternalErrorLine_OneLineSayingItIsABug()
    {
        string line = Program.InternalErrorLine(new InvalidOperationException("two\nlines"));
        Assert.DoesNotContain('\n', line);
        Assert.Contains("a bug in hvdump", line);
        Assert.Contains("InvalidOperationException", line);
    }

    [Fact]
    public void ExitCodes_InternalError_IsExSoftware()
    {
        Assert.Equal(70, ExitCodes.InternalError);
        Assert.NotEqual(ExitCodes.BadInput, ExitCodes.InternalError);
    }

    [Theory]
    [InlineData("info")]
    [InlineData("frobnicate")]
    [InlineData("convert", "a")]
    public void Usage_Errors_Exit2(params string[] args)
    {
        Assert.Equal(2, CliRunner.Run(args).ExitCode);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("info", "--help")]
    [InlineData("convert", "--help")]
    public void Help_EveryVerb_Exit0(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("hvdump", r.Stdout);
    }

    /// <summary>
    /// Owner plus escrow: both --encrypt-to recipients get a stanza, so the escrow identity alone reads the dump, and a
    /// repeated --identity before DUMP leaves DUMP the operand (CommandLineParser took the second value as DUMP).
    /// </summary>
    [Fact]
    public void Run_RepeatedEncryptToAndIdentity_EveryValueUsed()
    {
        using var owner = new AgeKeyedDir();
        var escrowKey = owner.Dir.File("escrow.txt");
        var escrow = CliRunner.Run("keygen", "-o", escrowKey).Stderr.Trim().Split(' ')[^1];
        var enc = owner.Dir.File("two.age");
        var convert = CliRunner.Run("convert", "--encrypt-to", owner.Recipient, "--encrypt-to", escrow, Samples.Elf, enc);
        Assert.True(convert.ExitCode == 0, convert.Stderr);
        var info = CliRunner.Run("info", "--identity", owner.Key, "--identity", escrowKey, enc);
        Assert.True(info.ExitCode == 0, info.Stderr);
        var escrowOnly = CliRunner.Run("info", "--identity", escrowKey, enc);
        Assert.True(escrowOnly.ExitCode == 0, escrowOnly.Stderr);
        Assert.Contains("kernel:       6.1.0-test", escrowOnly.Stdout);
    }
}
