using System.Text;
using HvDumpKit.Reader.Kernel;
using Xunit;

namespace HvDumpKit.Tests.Reader.Kernel;

/// <summary>One printk record as makedumpfile --dump-dmesg prints it.</summary>
public sealed class LogRecordTests
{
    [Theory]
    [InlineData(0x80000001u, "[    1.000000] [      C1] x")]
    [InlineData(0u, "[    1.000000] [      T0] x")]
    [InlineData(123456789u, "[    1.000000] [T123456789] x")] // wider than the column: not cut
    [InlineData(0x80000000u | 4095u, "[    1.000000] [   C4095] x")]
    public void Format_Caller_TaskOrCpuRightAligned(uint callerId, string expected)
    {
        var r = new LogRecord(0, 1_000_000_000, 6, 0, callerId, "x"u8.ToArray());
        Assert.Equal(expected, r.Format(true));
        Assert.Equal("[    1.000000] x", r.Format(false));
    }

    [Theory]
    [InlineData(0UL, "[    0.000000] ")]
    [InlineData(2_500_000_000UL, "[    2.500000] ")]
    [InlineData(3_000_001_999UL, "[    3.000001] ")] // nanoseconds below a microsecond are dropped
    [InlineData(123_456_789_000_000UL, "[123456.789000] ")] // wider than five digits: not cut
    public void Prefix_SecondsAndMicroseconds(ulong ns, string expected) =>
        Assert.Equal(expected, new LogRecord(0, ns, 6, 0, null, []).Prefix(false));

    [Fact]
    public void Format_NoCallerId_NoColumnEvenWithCaller()
    {
        var r = new LogRecord(0, 1_000_000_000, 6, 0, null, "x"u8.ToArray());
        Assert.Null(r.Caller);
        Assert.Equal("[    1.000000] x", r.Format(true));
    }

    [Fact]
    public void Format_ContinuationLinesIndentedUnderTheText()
    {
        var r = new LogRecord(1, 2_500_000_000, 6, 0, 0x80000002u, "line one\nline two"u8.ToArray());
        Assert.Equal("[    2.500000] line one\n               line two", r.Format(false));
        Assert.Equal("[    2.500000] [      C2] line one\n                          line two", r.Format(true));
    }

    [Fact]
    public void Format_UnprintableBytesEscaped_SpacesKept()
    {
        var r = new LogRecord(0, 0, 6, 0, null, [(byte)'a', 0x01, (byte)'\t', 0x7F, 0xC3, (byte)'\r', (byte)'b']);
        Assert.Equal("[    0.000000] a\\x01\t\\x7f\\xc3\rb", r.Format(false));
    }

    [Fact]
    public void PlainText_IsUtf8()
    {
        var r = new LogRecord(0, 0, 6, 0, null, Encoding.UTF8.GetBytes("caf\u00e9"));
        Assert.Equal("caf\u00e9", r.PlainText);
    }
}
