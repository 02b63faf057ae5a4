using HvDumpKit.Cli;
using HvDumpKit.Cli.Verbs;
using HvDumpKit.Reader.Codecs;
using Xunit;

namespace HvDumpKit.Tests.Cli;

/// <summary>makedumpfile's command line parsed directly, as its getopt would, without running a dump.</summary>
public sealed class MakedumpfileArgumentsTests
{
    private static UsageException Refused(params string[] args) =>
        Assert.Throws<UsageException>(() => MakedumpfileArguments.Parse(args));

    [Fact]
    public void Parse_NoOptions_MakedumpfileDefaults()
    {
        var p = MakedumpfileArguments.Parse(["vmcore", "dumpfile"]);
        Assert.Equal(PageCompression.None, p.Compression);
        Assert.Equal([0], p.Levels);
        Assert.Equal(7, p.MessageLevel);
        Assert.Equal(1L << 30, p.SplitblockBytes);
        Assert.Null(p.Limit);
        Assert.Equal(["vmcore", "dumpfile"], p.Positional);
    }

    /// <summary>getopt clusters: in -ld31 the l is a flag and the d takes the rest of the word as its argument.</summary>
    [Fact]
    public void Parse_Cluster_FlagThenOptionWithAttachedArgument()
    {
        var p = MakedumpfileArguments.Parse(["-fld31", "vmcore", "dumpfile"]);
        Assert.True(p.Force);
        Assert.Equal(PageCompression.Lzo, p.Compression);
        Assert.Equal([31], p.Levels);
        Assert.Equal(["vmcore", "dumpfile"], p.Positional);
    }

    [Fact]
    public void Parse_ClusterEndingInOptionWithArgument_TakesNextWord()
    {
        var p = MakedumpfileArguments.Parse(["-zd", "17", "vmcore", "dumpfile"]);
        Assert.Equal(PageCompression.Zstd, p.Compression);
        Assert.Equal([17], p.Levels);
    }

    [Fact]
    public void Parse_LevelList_EveryLevelInOrder() =>
        Assert.Equal([11, 31], MakedumpfileArguments.Parse(["-d", "11,31", "vmcore", "dumpfile"]).Levels);

    [Theory]
    [InlineData("32")]
    [InlineData("-1")]
    [InlineData("x")]
    public void Parse_BadDumpLevel_NamesIt(string level) =>
        Assert.Equal($"invalid dump level: {level}", Refused("-d", level, "vmcore", "dumpfile").Message);

    [Fact]
    public void Parse_LongOptionWithEquals_ValueTaken()
    {
        var p = MakedumpfileArguments.Parse(["--num-threads=3", "--message-level=31", "vmcore", "dumpfile"]);
        Assert.Equal(3, p.Threads);
        Assert.Equal(3, p.ThreadCount);
        Assert.Equal(31, p.MessageLevel);
    }

    [Fact]
    public void ThreadCount_ZeroThreads_EveryCore()
    {
        var p = MakedumpfileArguments.Parse(["--num-threads", "0", "vmcore", "dumpfile"]);
        Assert.Equal(0, p.Threads);
        Assert.Equal(HvDumpKit.Writers.MemoryPlan.Threads(), p.ThreadCount);
    }

    [Fact]
    public void Parse_NegativeThreads_Refused() =>
        Assert.Equal("invalid --num-threads: -2", Refused("--num-threads", "-2", "vmcore", "dumpfile").Message);

    [Fact]
    public void Parse_SplitblockSize_KilobytesToBytes() =>
        Assert.Equal(4096L, MakedumpfileArguments.Parse(["--splitblock-size", "4", "vmcore", "dumpfile"]).SplitblockBytes);

    [Fact]
    public void Parse_ZeroSplitblockSize_Refused() =>
        Assert.Equal("invalid --splitblock-size: 0", Refused("--splitblock-size", "0", "vmcore", "dumpfile").Message);

    [Fact]
    public void Parse_LimitWithSuffix_Bytes() =>
        Assert.Equal(3L << 20, MakedumpfileArguments.Parse(["-L", "3M", "vmcore", "dumpfile"]).Limit);

    [Fact]
    public void Parse_BadLimit_NamesTheNumber() =>
        Assert.Equal("invalid -L size: 0", Refused("-L", "0K", "vmcore", "dumpfile").Message);

    [Fact]
    public void Parse_OptionWithoutItsArgument_Refused() =>
        Assert.Equal("option -d requires an argument", Refused("vmcore", "dumpfile", "-d").Message);

    [Fact]
    public void Parse_RefusedOption_SaysHvdumpDoesNotSupportIt() =>
        Assert.Equal("option --eppic is not supported by hvdump", Refused("--eppic=x.c", "vmcore", "dumpfile").Message);

    [Fact]
    public void Parse_UnknownOption_GetoptsWords() =>
        Assert.Equal("unrecognized option '--bogus'", Refused("--bogus", "vmcore", "dumpfile").Message);

    /// <summary>The cyclic-buffer options take their argument and are remembered for -D, not taken as operands.</summary>
    [Fact]
    public void Parse_MootOption_RecordedAndArgumentConsumed()
    {
        var p = MakedumpfileArguments.Parse(["--cyclic-buffer", "1024", "-x", "vmlinux", "vmcore", "dumpfile"]);
        Assert.Equal(["--cyclic-buffer"], p.MootSeen);
        Assert.Equal("vmlinux", p.Vmlinux);
        Assert.Equal(["vmcore", "dumpfile"], p.Positional);
    }

    [Fact]
    public void Parse_EncryptToRepeated_EveryRecipientInOrder()
    {
        var p = MakedumpfileArguments.Parse(["--encrypt-to", "age1a", "--encrypt-to=age1b", "--encrypt-to-file", "r.txt", "vmcore", "d"]);
        Assert.Equal(["age1a", "age1b"], p.EncryptTo);
        Assert.Equal(["r.txt"], p.EncryptToFile);
    }

    /// <summary>After --, a DUMPFILE that starts with '-' is an operand (getopt's end of options).</summary>
    [Fact]
    public void Parse_AfterDashDash_DashedOperandsKept() =>
        Assert.Equal(["vmcore", "-odd"], MakedumpfileArguments.Parse(["-l", "--", "vmcore", "-odd"]).Positional);

    [Theory]
    [InlineData("-F", "--split cannot be used with -F")]
    [InlineData("-E", "--split cannot be used with -E")]
    [InlineData("--reassemble", "--split and --reassemble cannot be used together")]
    public void Parse_SplitWithConflictingOption_Refused(string other, string message) =>
        Assert.Equal(message, Refused("--split", other, "vmcore", "a", "b").Message);

    [Fact]
    public void CheckDumpOperands_SplitIntoOneFile_Refused()
    {
        var p = MakedumpfileArguments.Parse(["--split", "vmcore", "a"]);
        Assert.Equal("--split needs VMCORE and at least two DUMPFILEs",
            Assert.Throws<UsageException>(p.CheckDumpOperands).Message);
    }

    [Fact]
    public void CheckDumpOperands_FlatWithDumpfile_Refused()
    {
        var p = MakedumpfileArguments.Parse(["-F", "vmcore", "dumpfile"]);
        Assert.Equal("-F takes VMCORE only (the stream goes to stdout)", Assert.Throws<UsageException>(p.CheckDumpOperands).Message);
    }

    [Fact]
    public void CheckDumpOperands_VmcoreAlone_Refused()
    {
        var p = MakedumpfileArguments.Parse(["vmcore"]);
        Assert.Equal("VMCORE and DUMPFILE are required", Assert.Throws<UsageException>(p.CheckDumpOperands).Message);
    }

    [Fact]
    public void CheckDumpOperands_SplitIntoTwoFiles_Accepted() =>
        MakedumpfileArguments.Parse(["--split", "vmcore", "a", "b"]).CheckDumpOperands();

    /// <summary>-E writes pages as they are whatever codec was asked for; makedumpfile's outputs are never fsynced.</summary>
    [Fact]
    public void WriterOptions_Elf_NoCompressionAtTheLevelAsked()
    {
        var p = MakedumpfileArguments.Parse(["-E", "-c", "--num-threads", "2", "vmcore", "dumpfile"]);
        var o = p.WriterOptions(17);
        Assert.Equal(PageCompression.None, o.Compression);
        Assert.Equal(17, o.DumpLevel);
        Assert.Equal(2, o.Threads);
        Assert.False(o.Durable);
    }

    [Fact]
    public void WriterOptions_Zlib_CodecAndItsDefaultLevel()
    {
        var o = MakedumpfileArguments.Parse(["-c", "vmcore", "dumpfile"]).WriterOptions(31);
        Assert.Equal(PageCompression.Zlib, o.Compression);
        Assert.Equal(PageCodecs.DefaultLevel(PageCompression.Zlib), o.CompressionLevel);
    }
}
