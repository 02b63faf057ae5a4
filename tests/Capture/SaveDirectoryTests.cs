using System.Text.RegularExpressions;
using HvDumpKit.Capture;
using HvDumpKit.Reader;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Capture;

/// <summary>&lt;host&gt;-&lt;date&gt; save directories, the dump's identity, and which one a resume continues.</summary>
public sealed class SaveDirectoryTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private string Save(string name, string? status)
    {
        var d = Path.Combine(_dir.Path, Environment.MachineName + "-" + name);
        Directory.CreateDirectory(d);
        if (status is not null) File.WriteAllText(Path.Combine(d, "status.json"), status);
        Thread.Sleep(20); // creation times must differ
        return d;
    }

    [Fact]
    public void NewPath_HostAndLocalTimeUnderTarget()
    {
        var p = SaveDirectory.NewPath("/var/crash");
        Assert.Equal("/var/crash", Path.GetDirectoryName(p));
        Assert.Matches("^" + Regex.Escape(Environment.MachineName) + @"-\d{4}-\d\d-\d\d-\d\d:\d\d:\d\d$", Path.GetFileName(p));
    }

    [Fact]
    public void DumpId_NotesDigestAndMaxPfn()
    {
        using var a = DumpProbe.Open(Samples.Elf);
        using var b = DumpProbe.Open(Samples.Kdump);
        var id = SaveDirectory.DumpId(a);
        Assert.Matches("^[0-9a-f]{16}-40$", id); // 64 PFNs
        Assert.Equal(id, SaveDirectory.DumpId(a));
        Assert.Equal(id, SaveDirectory.DumpId(b)); // the same crash in another format
        var other = new ElfCoreBuilder().VmcoreInfo("OSRELEASE=6.1.0\nPAGESIZE=4096\n").AddLoad(0, new byte[64 * 4096])
            .WriteTo(_dir.File("other.elf"));
        using var c = DumpProbe.Open(other);
        Assert.NotEqual(id, SaveDirectory.DumpId(c));
    }

    [Fact]
    public void FindNewestOf_Empty_Nothing() => Assert.Equal((null, false), SaveDirectory.FindNewestOf(_dir.Path, "x"));

    [Fact]
    public void FindNewestOf_NewestOfThisDump_SkippingAnotherDumps()
    {
        var mine = Save("1", "{\"outcome\":\"complete\",\"dump_id\":\"mine\"}");
        Save("2", "{\"outcome\":\"running\",\"dump_id\":\"other\"}");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "not-a-save"));
        Assert.Equal((mine, true), SaveDirectory.FindNewestOf(_dir.Path, "mine"));
    }

    [Theory]
    [InlineData(null)]                                          // killed right after creating it
    [InlineData("{\"outcome\":\"compl")]                        // cut off mid-write
    [InlineData("{\"outcome\":\"running\",\"dump_id\":\"mine\"}")]
    [InlineData("{\"dump_id\":\"mine\"}")]                        // no outcome
    public void FindNewestOf_NoCompleteStatus_Unfinished(string? status)
    {
        Save("1", "{\"outcome\":\"complete\",\"dump_id\":\"mine\"}");
        var newest = Save("2", status);
        Assert.Equal((newest, false), SaveDirectory.FindNewestOf(_dir.Path, "mine"));
    }
}
