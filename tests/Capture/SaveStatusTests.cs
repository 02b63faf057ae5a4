using System.Text.Json;
using HvDumpKit.Capture;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Capture;

/// <summary>status.json: written in place inside reserved space, readable as JSON at every step.</summary>
public sealed class SaveStatusTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_FieldsAsSet_PaddedTo64KiB()
    {
        var path = _dir.File("status.json");
        var s = new SaveStatus
        {
            Vmcore = "/proc/vmcore", Output = "/var/crash/x/vmcore", Compression = "zstd", DumpId = "abc-40",
            DumpLevel = 31, Resumes = 2, PagesWritten = 48, BytesOut = 12345, Outcome = "complete", CpuNotes = 4,
        };
        s.Write(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(65536, bytes.Length);
        Assert.Equal((byte)'\n', bytes[^1]);
        using var doc = JsonDocument.Parse(bytes);
        var r = doc.RootElement;
        Assert.Equal("complete", r.GetProperty("outcome").GetString());
        Assert.Equal("/proc/vmcore", r.GetProperty("vmcore").GetString());
        Assert.Equal("abc-40", r.GetProperty("dump_id").GetString());
        Assert.Equal("kdump", r.GetProperty("format").GetString());
        Assert.Equal("zstd", r.GetProperty("compression").GetString());
        Assert.Equal(31, r.GetProperty("dump_level").GetInt32());
        Assert.Equal(2, r.GetProperty("resumes").GetInt32());
        Assert.Equal(48UL, r.GetProperty("pages_written").GetUInt64());
        Assert.Equal(12345L, r.GetProperty("bytes_out").GetInt64());
        Assert.Equal(4, r.GetProperty("prstatus_from_cpu_area").GetInt32());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("dmesg").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("error").ValueKind);
        Assert.False(r.GetProperty("dry_run").GetBoolean());
        Assert.Equal(0, r.GetProperty("releases").GetArrayLength());
    }

    [Fact]
    public void Write_Again_OverwritesInPlaceStillValid()
    {
        var path = _dir.File("status.json");
        var s = new SaveStatus { Error = new string('e', 70000) };
        s.Write(path);
        Assert.Equal(131072, new FileInfo(path).Length);
        s.Error = null;
        s.Outcome = "complete";
        s.Write(path);
        Assert.Equal(131072, new FileInfo(path).Length); // reserved space is kept, never shrunk
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal("complete", doc.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("error").ValueKind);
    }

    [Fact]
    public void ReadResumes_WhatWasWritten_ZeroWhenUnreadable()
    {
        var path = _dir.File("status.json");
        new SaveStatus { Resumes = 3 }.Write(path);
        Assert.Equal(3, SaveStatus.ReadResumes(path));
        Assert.Equal(0, SaveStatus.ReadResumes(_dir.File("missing.json")));
        File.WriteAllText(_dir.File("cut.json"), "{\"resumes\":");
        Assert.Equal(0, SaveStatus.ReadResumes(_dir.File("cut.json")));
    }
}
