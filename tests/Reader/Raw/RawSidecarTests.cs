using System.Text.Json;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Raw;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Raw;

/// <summary>OUT.json: what Write puts in it, what Read takes back, and every malformed sidecar as a format error naming it.</summary>
public sealed class RawSidecarTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static RawSidecar Sample() => new(Machine.Ppc64, ByteOrder.Big, 65536, true, 2, 31,
        [new PfnRange(0, 16), new PfnRange(32, 40)], [new PfnRange(1, 4), new PfnRange(33, 34)], [1, 2, 3, 0xff]);

    private string Written(RawSidecar s)
    {
        var path = _dir.File("img.raw.json");
        using (var f = File.Create(path)) s.Write(f);
        return path;
    }

    private string Json(string text)
    {
        var path = _dir.File("bad.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void PathFor_IsTheImageWithJsonAppended() => Assert.Equal("/x/vmcore.raw.json", RawSidecar.PathFor("/x/vmcore.raw"));

    [Fact]
    public void Write_EveryFieldByItsName()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Written(Sample())));
        var r = doc.RootElement;
        Assert.Equal("hvdump-raw-sidecar", r.GetProperty("format").GetString());
        Assert.Equal(1, r.GetProperty("version").GetInt32());
        Assert.Equal("ppc64", r.GetProperty("arch").GetString());
        Assert.Equal(21, r.GetProperty("e_machine").GetInt32());
        Assert.Equal("big", r.GetProperty("byte_order").GetString());
        Assert.Equal(65536, r.GetProperty("page_size").GetInt32());
        Assert.True(r.GetProperty("is_64bit").GetBoolean());
        Assert.Equal(2u, r.GetProperty("e_flags").GetUInt32());
        Assert.Equal(31, r.GetProperty("dump_level").GetInt32());
        Assert.Equal("[[0,16],[32,40]]", r.GetProperty("ram").GetRawText().Replace(" ", "").ReplaceLineEndings(""));
        Assert.Equal("[[1,4],[33,34]]", r.GetProperty("present").GetRawText().Replace(" ", "").ReplaceLineEndings(""));
        Assert.Equal("AQID/w==", r.GetProperty("notes").GetString());
    }

    [Fact]
    public void Read_GivesBackWhatWriteWrote()
    {
        var s = Sample();
        var back = RawSidecar.Read(Written(s), DumpLimits.Default);
        Assert.Equal((s.Machine, s.ByteOrder, s.PageSize, s.Is64Bit, s.ElfFlags, s.DumpLevel),
            (back.Machine, back.ByteOrder, back.PageSize, back.Is64Bit, back.ElfFlags, back.DumpLevel));
        Assert.Equal(s.Ram, back.Ram);
        Assert.Equal(s.Present, back.Present);
        Assert.Equal(s.NoteBlob, back.NoteBlob);
    }

    [Fact]
    public void Read_LittleEndianAndEmptyRanges()
    {
        var s = new RawSidecar(Machine.X86_64, ByteOrder.Little, 4096, true, 0, 0, [], [], []);
        var back = RawSidecar.Read(Written(s), DumpLimits.Default);
        Assert.Equal(ByteOrder.Little, back.ByteOrder);
        Assert.Empty(back.Ram);
        Assert.Empty(back.NoteBlob);
    }

    private static string With(string field, string json)
    {
        var fields = new Dictionary<string, string>
        {
            ["format"] = "\"hvdump-raw-sidecar\"", ["version"] = "1", ["e_machine"] = "62", ["byte_order"] = "\"little\"",
            ["page_size"] = "4096", ["is_64bit"] = "true", ["e_flags"] = "0", ["dump_level"] = "1",
            ["ram"] = "[[0,8]]", ["present"] = "[[0,8]]", ["notes"] = "\"\"",
        };
        if (json.Length == 0) fields.Remove(field); else fields[field] = json;
        return "{" + string.Join(",", fields.Select(kv => $"\"{kv.Key}\":{kv.Value}")) + "}";
    }

    [Fact]
    public void Read_AnotherFormat_NamesTheFormatAndItsValue()
    {
        var path = Json(With("format", "\"something-else\""));
        var ex = Assert.Throws<DumpFormatException>(() => RawSidecar.Read(path, DumpLimits.Default));
        Assert.Equal((path, 0L, "raw sidecar format", "something-else", "is not hvdump-raw-sidecar"),
            (ex.FilePath, ex.Offset, ex.FieldName, ex.Value, ex.Problem));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("256")]
    [InlineData("4097")]
    [InlineData("-4096")]
    public void Read_PageSizeNotAPowerOfTwoFrom512_NamesPageSize(string pageSize)
    {
        var path = Json(With("page_size", pageSize));
        var ex = Assert.Throws<DumpFormatException>(() => RawSidecar.Read(path, DumpLimits.Default));
        Assert.Equal(("raw sidecar page_size", pageSize, "is not a power of two ≥ 512"), (ex.FieldName, ex.Value, ex.Problem));
    }

    [Theory]
    [InlineData("e_machine", "", "is malformed: ")]                // missing key
    [InlineData("page_size", "\"4096\"", "is malformed: ")]        // a string where a number belongs
    [InlineData("notes", "\"not base64!\"", "is malformed: ")]
    [InlineData("ram", "[[8,4]]", "is malformed: range [8, 4) ends before it starts")]
    [InlineData("present", "[[4,8],[0,2]]", "is malformed: ranges are not ascending")]
    [InlineData("ram", "[[-1,4]]", "is malformed: ")]
    [InlineData("ram", "[[0]]", "is malformed: range [0] is not [start, end]")] // was an IndexOutOfRangeException
    [InlineData("present", "[[0,8,9]]", "is malformed: range [0,8,9] is not [start, end]")]
    [InlineData("present", "[7]", "is malformed: range 7 is not [start, end]")]
    public void Read_AMalformedField_IsAFormatErrorNotACrash(string field, string json, string problem)
    {
        var path = Json(With(field, json));
        var ex = Assert.Throws<DumpFormatException>(() => RawSidecar.Read(path, DumpLimits.Default));
        Assert.Equal(("raw sidecar", path, 0L), (ex.FieldName, ex.FilePath, ex.Offset));
        Assert.StartsWith(problem, ex.Problem);
    }

    [Fact]
    public void Read_NotJson_SaysSo()
    {
        var path = Json("{\"format\": ");
        var ex = Assert.Throws<DumpFormatException>(() => RawSidecar.Read(path, DumpLimits.Default));
        Assert.Equal(("raw sidecar", path), (ex.FieldName, ex.FilePath));
        Assert.StartsWith("is not valid JSON: ", ex.Problem);
    }

    [Fact]
    public void Read_LargerThanTwiceTheNoteLimitPlus64MiB_RefusedBeforeParsing()
    {
        var path = _dir.File("huge.json");
        using (var f = File.Create(path)) f.SetLength((64L << 20) + 2 * 1024 + 1); // sparse: nothing is written
        var ex = Assert.Throws<DumpFormatException>(() => RawSidecar.Read(path, DumpLimits.Default with { MaxNoteBytes = 1024 }));
        Assert.Equal(("raw sidecar", ((64L << 20) + 2049).ToString(), "is too large"), (ex.FieldName, ex.Value, ex.Problem));
        // One byte less is parsed (and is then no JSON): the limit is inclusive.
        using (var f = File.OpenWrite(path)) f.SetLength((64L << 20) + 2048);
        var parsed = Assert.Throws<DumpFormatException>(() => RawSidecar.Read(path, DumpLimits.Default with { MaxNoteBytes = 1024 }));
        Assert.StartsWith("is not valid JSON", parsed.Problem);
    }
}
