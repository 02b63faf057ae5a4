using HvDumpKit.Reader;
using Xunit;

namespace HvDumpKit.Tests.Reader;

/// <summary>Fields in the byte order named, never the host's.</summary>
public sealed class EndianTests
{
    private static readonly byte[] Bytes = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88];

    [Fact]
    public void Reads_BothOrders()
    {
        Assert.Equal(((ushort)0x0201, (ushort)0x0102), (Endian.U16(Bytes, ByteOrder.Little), Endian.U16(Bytes, ByteOrder.Big)));
        Assert.Equal((0x04030201u, 0x01020304u), (Endian.U32(Bytes, ByteOrder.Little), Endian.U32(Bytes, ByteOrder.Big)));
        Assert.Equal((0x8807060504030201UL, 0x0102030405060788UL), (Endian.U64(Bytes, ByteOrder.Little), Endian.U64(Bytes, ByteOrder.Big)));
        Assert.Equal(unchecked((long)0x8807060504030201UL), Endian.I64(Bytes, ByteOrder.Little));
        Assert.Equal(-2012805627, Endian.I32(Bytes.AsSpan(4), ByteOrder.Little)); // 0x88070605
    }

    [Theory]
    [InlineData(ByteOrder.Little)]
    [InlineData(ByteOrder.Big)]
    public void Writes_WhatReadsGiveBack(ByteOrder o)
    {
        var b = new byte[14];
        Endian.W16(b, 0xA1B2, o);
        Endian.W32(b.AsSpan(2), 0xC1C2C3C4, o);
        Endian.W64(b.AsSpan(6), 0xD1D2D3D4D5D6D7D8, o);
        Assert.Equal(((ushort)0xA1B2, 0xC1C2C3C4u, 0xD1D2D3D4D5D6D7D8UL),
            (Endian.U16(b, o), Endian.U32(b.AsSpan(2), o), Endian.U64(b.AsSpan(6), o)));
        Assert.Equal(o == ByteOrder.Big ? (byte)0xA1 : (byte)0xB2, b[0]);
        Assert.Equal(o == ByteOrder.Big ? (byte)0xD1 : (byte)0xD8, b[6]);
    }
}
