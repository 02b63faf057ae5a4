using System.Text;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

public sealed class KernelLogTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private const int Page = 4096;
    private const int PrbPtr = 28 * Page, Rb = PrbPtr + 0x100, Descs = PrbPtr + 0x400, Infos = PrbPtr + 0x800, Text = 29 * Page;

    /// <summary>Rewrites the synthetic kernel's lockless ring: records (id, begin lpos, text), head and tail ids.</summary>
    private static byte[] Ring((ulong Id, ulong Begin, string Text)[] recs, ulong tail, ulong head, Action<byte[]>? damage = null)
    {
        var mem = SyntheticKernel.Memory();
        void W64(int pa, ulong v) => Endian.W64(mem.AsSpan(pa), v, ByteOrder.Little);
        mem.AsSpan(28 * Page, 2 * Page).Clear();
        W64(PrbPtr, SyntheticKernel.Kv(Rb));
        Endian.W32(mem.AsSpan(Rb), 4, ByteOrder.Little);
        W64(Rb + 8, SyntheticKernel.Kv(Descs)); W64(Rb + 16, SyntheticKernel.Kv(Infos));
        foreach (var (id, begin, text) in recs)
        {
            var t = Encoding.ASCII.GetBytes(text);
            ulong blk = (ulong)(8 + t.Length + 7) / 8 * 8;
            ulong b = begin % 4096;
            ulong next = b + blk <= 4096 ? begin + blk : (begin / 4096 + 1) * 4096 + blk; // a wrapped block restarts at 0
            int at = b + blk <= 4096 ? (int)b : 0;
            W64(Text + at, id); t.CopyTo(mem, Text + at + 8);
            int d = Descs + (int)(id % 16) * 24;
            W64(d, (2UL << 62) | id); W64(d + 8, begin); W64(d + 16, next);
            int inf = Infos + (int)(id % 16) * 88;
            W64(inf, id); W64(inf + 8, id * 1_000_000_000UL);
            Endian.W16(mem.AsSpan(inf + 16), (ushort)t.Length, ByteOrder.Little);
            mem[inf + 19] = (byte)(6 << 5); // level 6 (KERN_INFO)
            Endian.W32(mem.AsSpan(inf + 20), 0x80000001, ByteOrder.Little); // CPU 1
        }
        W64(Rb + 24, head); W64(Rb + 32, tail);
        Endian.W32(mem.AsSpan(Rb + 48), 12, ByteOrder.Little);
        W64(Rb + 56, SyntheticKernel.Kv(Text));
        damage?.Invoke(mem);
        return mem;
    }

    private IDumpSource Dump(byte[] mem)
    {
        var b = new ElfCoreBuilder().PrStatus(1).VmcoreInfo(SyntheticKernel.VmcoreInfo())
            .AddLoad(0, mem.AsSpan(0, 32 * Page).ToArray(), vaddr: SyntheticKernel.Kv(0))
            .AddLoad(48 * Page, mem.AsSpan(48 * Page).ToArray(), vaddr: SyntheticKernel.Kv(48 * Page));
        return DumpProbe.Open(b.WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
    }

    [Fact]
    public void Read_SyntheticKernel_AsMakedumpfilePrintsIt()
    {
        using var src = DumpProbe.Open(Repo.TestData("elf", "synth-x86_64.vmcore"));
        var log = KernelLog.Read(src);
        Assert.Equal("lockless", log.Format);
        Assert.Empty(log.Warnings);
        Assert.Equal(
            "[    0.001000] Linux version 6.1.0-test\n[    2.500000] line one\n               line two\n[    3.000001] sysrq: Trigger a crash\n",
            string.Concat(log.Records.Select(r => r.Format(false) + "\n")));
        Assert.Equal("T2", log.Records[1].Caller);
        // makedumpfile 1.7.8's column: `[%*s] ` at PID_CHARS_DEFAULT (8), the continuation indented under the text.
        Assert.Equal("[    2.500000] [      T2] line one\n" + new string(' ', 26) + "line two", log.Records[1].Format(true));
    }

    [Fact]
    public void Read_WrappedIdsAndWrappedTextBlock_ReadsAll()
    {
        var mem = Ring([(14, 4000, "fourteen"), (15, 4024, "fifteen"), (16, 4048, "sixteen wraps to the start")], tail: 14, head: 16);
        using var src = Dump(mem);
        var log = KernelLog.Read(src);
        Assert.Equal(["fourteen", "fifteen", "sixteen wraps to the start"], log.Records.Select(r => r.PlainText));
        Assert.Equal(6, log.Records[0].Level);
        Assert.Equal("C1", log.Records[0].Caller);
    }

    [Fact]
    public void Read_CorruptDescriptor_SkipsItAndWarns()
    {
        var mem = Ring([(0, 0, "zero"), (1, 16, "one"), (2, 32, "two")], tail: 0, head: 2,
            m => Endian.W64(m.AsSpan(Descs + 24), 0xDEADBEEF, ByteOrder.Little)); // id 1's state_var
        using var src = Dump(mem);
        var log = KernelLog.Read(src);
        Assert.Equal(["zero", "two"], log.Records.Select(r => r.PlainText));
    }

    [Fact]
    public void Read_TextLenPastItsBlock_TruncatedWithWarning()
    {
        var mem = Ring([(0, 0, "zero"), (1, 16, "one!")], tail: 0, head: 1,
            m => Endian.W16(m.AsSpan(Infos + 88 + 16), 3000, ByteOrder.Little));
        using var src = Dump(mem);
        var log = KernelLog.Read(src);
        Assert.Equal(2, log.Records.Count);
        Assert.StartsWith("one!", log.Records[1].PlainText);
        Assert.Contains(log.Warnings, w => w.Contains("truncated"));
    }

    [Fact]
    public void Read_HeadNeverReached_StopsAfterOneRingOfIds()
    {
        var mem = Ring([(0, 0, "zero")], tail: 0, head: 1UL << 40);
        using var src = Dump(mem);
        var log = KernelLog.Read(src);
        Assert.Single(log.Records);
        Assert.NotEmpty(log.Warnings);
    }

    [Fact]
    public void Read_RingHeaderMissing_NoRecordsAndAReason()
    {
        var mem = Ring([(0, 0, "zero")], 0, 0, m => Endian.W64(m.AsSpan(PrbPtr), 0xffffc90000000000UL, ByteOrder.Little));
        using var src = Dump(mem);
        var log = KernelLog.Read(src);
        Assert.Empty(log.Records);
        Assert.Contains(log.Warnings, w => w.Contains("not in the dump"));
    }
}
