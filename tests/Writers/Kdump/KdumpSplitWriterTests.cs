using HvDumpKit.Reader;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.Crypto.Age;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Kdump;
using HvDumpKit.Tests.Builders;
using HvDumpKit.Writers;
using HvDumpKit.Writers.Kdump;
using HvDumpKit.Writers.Output;
using Xunit;

namespace HvDumpKit.Tests.Writers.Kdump;

/// <summary>makedumpfile --split written directly: one kdump file per range, the set's totals, and all or nothing.</summary>
public sealed class KdumpSplitWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static readonly WriterOptions Options = new() { Compression = PageCompression.Zstd, Threads = 1 };

    /// <summary>
    /// Four pages at PFN 0 and four at PFN 4096 (splitblocks are whole 4096-PFN sections), the second of each four zero,
    /// split on one-section splitblocks: with two files, the first holds [0, 4096), the second [4096, 4100).
    /// </summary>
    private WriteSummary Split(string[] parts, int level = 0, bool force = false, AgeRecipientSet? encrypt = null)
    {
        var elf = _dir.File("in.elf");
        if (!File.Exists(elf))
        {
            byte[] Four(byte fill)
            {
                var b = Enumerable.Repeat(fill, 4 * 4096).ToArray();
                b.AsSpan(4096, 4096).Clear();
                return b;
            }
            new ElfCoreBuilder().VmcoreInfo("OSRELEASE=6.1.0\nPAGESIZE=4096\n").AddLoad(0, Four(1)).AddLoad(4096UL * 4096, Four(0x41))
                .WriteTo(elf);
        }
        using var src = DumpProbe.Open(elf);
        return KdumpSplitWriter.Write(src, elf, parts, force, splitblockBytes: 4096L * 4096, limit: null,
            Options with { DumpLevel = level }, encrypt);
    }

    [Fact]
    public void Write_TwoFiles_EachARangeAndTheSetIsTheDump()
    {
        string[] parts = [_dir.File("a"), _dir.File("b")];
        var s = Split(parts);
        using var a = KdumpDumpSource.Open(new PlainFileInput(parts[0]));
        using var b = KdumpDumpSource.Open(new PlainFileInput(parts[1]));
        Assert.True(a.Kdump.Split);
        Assert.Equal((0UL, 4096UL), (a.Kdump.StartPfn, a.Kdump.EndPfn));
        Assert.Equal((4096UL, 4100UL), (b.Kdump.StartPfn, b.Kdump.EndPfn));
        using var set = KdumpSplitSet.Open(parts);
        using var elf = DumpProbe.Open(_dir.File("in.elf"));
        Builders.Convert.AssertSamePages(elf, set);
        // The summary is the whole set's, not the last file's alone.
        Assert.Equal(8UL, s.PagesInSource);
        Assert.Equal(8UL, s.PagesWritten);
        Assert.Equal(2UL, s.ZeroPages);
        Assert.Equal(new FileInfo(parts[0]).Length + new FileInfo(parts[1]).Length, s.BytesOut);
        Assert.Equal(0UL, s.ZeroPagesExcluded);
    }

    /// <summary>At a level that excludes zero pages, the set's zero count is what was excluded.</summary>
    [Fact]
    public void Write_ZeroExcludingLevel_ZeroPagesExcludedIsTheSetsZeroCount()
    {
        var s = Split([_dir.File("a"), _dir.File("b")], level: 1);
        Assert.Equal(2UL, s.ZeroPages);
        Assert.Equal(2UL, s.ZeroPagesExcluded);
        Assert.Equal(8UL, s.PagesWritten); // a zero page excluded still has its descriptor, onto the one shared zero page
    }

    /// <summary>A refused later file leaves no earlier one behind: files appear only when all are whole.</summary>
    [Fact]
    public void Write_LaterFileExists_RefusedAndNoFileWritten()
    {
        string[] parts = [_dir.File("a"), _dir.File("b")];
        File.WriteAllText(parts[1], "keep");
        var ex = Assert.Throws<OutputRefusedException>(() => Split(parts));
        Assert.Equal(OutputRefusal.Exists, ex.Reason);
        Assert.Equal(parts[1], ex.Path);
        Assert.False(File.Exists(parts[0]));
        Assert.Equal("keep", File.ReadAllText(parts[1]));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".*.tmp"));
    }

    [Fact]
    public void Write_OntoTheVmcore_Refused()
    {
        SyntheticKernel.Vmcore().WriteTo(_dir.File("in.elf"));
        var ex = Assert.Throws<OutputRefusedException>(() => Split([_dir.File("a"), _dir.File("in.elf")], force: true));
        Assert.Equal(OutputRefusal.IsInput, ex.Reason);
        Assert.False(File.Exists(_dir.File("a")));
    }

    [Fact]
    public void Write_SameFileTwice_RefusedAsAnInput()
    {
        var ex = Assert.Throws<OutputRefusedException>(() => Split([_dir.File("a"), _dir.File("a")], force: true));
        Assert.Equal(OutputRefusal.IsInput, ex.Reason);
    }

    [Fact]
    public void Write_Encrypted_EveryFileAnAgeFileOfItsRange()
    {
        var id = AgeX25519Identity.Generate();
        string[] parts = [_dir.File("a.age"), _dir.File("b.age")];
        Split(parts, encrypt: new AgeRecipientSet([id.Recipient]));
        foreach (var part in parts)
        {
            using var plain = AgeInput.Open(new PlainFileInput(part), new AgeKeyring([id]));
            var magic = new byte[8];
            plain.ReadAt(0, magic);
            Assert.Equal("KDUMP   "u8.ToArray(), magic);
        }
    }
}
