using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>
/// Physical reads over an ELF with PFN 0–3 and 6–9 present (PFN 4–5 a hole); every byte is
/// (pa / 4096) * 16 + pa % 13, so a read from the wrong page or offset shows.
/// </summary>
public sealed class PhysicalMemoryTests : IDisposable
{
    private const int Page = 4096;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static byte At(long pa) => (byte)(pa / Page * 16 + pa % 13);

    private static byte[] Bytes(long from, int count) => Enumerable.Range(0, count).Select(i => At(from + i)).ToArray();

    private IDumpSource Dump(ByteOrder order = ByteOrder.Little, ushort machine = 62)
    {
        var b = new ElfCoreBuilder { Order = order, Machine = machine };
        b.AddLoad(0, Bytes(0, 4 * Page));
        b.AddLoad(6 * Page, Bytes(6 * Page, 4 * Page));
        return DumpProbe.Open(b.WriteTo(_dir.File(Guid.NewGuid().ToString("N"))));
    }

    [Fact]
    public void TryRead_WithinAndAcrossPages()
    {
        using var d = Dump();
        var m = new PhysicalMemory(d);
        var small = new byte[10];
        Assert.True(m.TryRead(0x1234, small));
        Assert.Equal(Bytes(0x1234, 10), small);
        var across = new byte[100];
        Assert.True(m.TryRead(2 * Page - 50, across));
        Assert.Equal(Bytes(2 * Page - 50, 100), across);
    }

    [Fact]
    public void TryRead_WholePagesAndATail()
    {
        using var d = Dump();
        var m = new PhysicalMemory(d);
        var buf = new byte[2 * Page + 7];
        Assert.True(m.TryRead(6 * Page, buf));
        Assert.Equal(Bytes(6 * Page, buf.Length), buf);
    }

    [Fact]
    public void TryRead_IntoTheHole_False()
    {
        using var d = Dump();
        var m = new PhysicalMemory(d);
        Assert.False(m.TryRead(4 * Page - 4, new byte[8]));
        Assert.False(m.TryRead(4 * Page, new byte[Page]));
        Assert.False(m.TryRead(5 * Page + 100, new byte[1]));
        Assert.Null(m.ReadU64(5 * Page));
        Assert.Null(m.ReadU64(10 * Page)); // past the last PT_LOAD
        // A failed read leaves later reads of present pages intact.
        Assert.Equal(Bytes(3 * Page + 1, 3), ReadBytes(m, 3 * Page + 1, 3));
    }

    private static byte[] ReadBytes(PhysicalMemory m, ulong pa, int n)
    {
        var b = new byte[n];
        Assert.True(m.TryRead(pa, b));
        return b;
    }

    [Theory]
    [InlineData(ByteOrder.Little, (ushort)62)]
    [InlineData(ByteOrder.Big, (ushort)21)]
    public void ReadU64_InTheDumpsByteOrder(ByteOrder order, ushort machine)
    {
        using var d = Dump(order, machine);
        var m = new PhysicalMemory(d);
        Assert.Equal(order, m.ByteOrder);
        Assert.Equal(Endian.U64(Bytes(7 * Page + 3, 8), order), m.ReadU64(7 * Page + 3));
    }

    [Fact]
    public void MorePagesThanTheCache_EvictedPagesReadAgain()
    {
        var b = new ElfCoreBuilder();
        b.AddLoad(0, Bytes(0, 80 * Page));
        using var d = DumpProbe.Open(b.WriteTo(_dir.File("big.elf")));
        var m = new PhysicalMemory(d);
        // 80 distinct pages against a 64-page ring, three rounds at changing offsets.
        for (int round = 0; round < 3; round++)
            for (long pfn = 0; pfn < 80; pfn++)
            {
                long pa = pfn * Page + 8 + round * 1000;
                Assert.Equal(Bytes(pa, 3), ReadBytes(m, (ulong)pa, 3));
            }
    }
}
