using System.Buffers.Binary;

namespace HvDumpKit.Reader;

public enum ByteOrder { Little, Big }

/// <summary>Explicit-endian field decoding; never host order.</summary>
public static class Endian
{
    public static ushort U16(ReadOnlySpan<byte> b, ByteOrder o) =>
        o == ByteOrder.Big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
    public static uint U32(ReadOnlySpan<byte> b, ByteOrder o) =>
        o == ByteOrder.Big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
    public static ulong U64(ReadOnlySpan<byte> b, ByteOrder o) =>
        o == ByteOrder.Big ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
    public static int I32(ReadOnlySpan<byte> b, ByteOrder o) => unchecked((int)U32(b, o));
    public static long I64(ReadOnlySpan<byte> b, ByteOrder o) => unchecked((long)U64(b, o));

    public static void W16(Span<byte> b, ushort v, ByteOrder o)
    { if (o == ByteOrder.Big) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v); }
    public static void W32(Span<byte> b, uint v, ByteOrder o)
    { if (o == ByteOrder.Big) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v); }
    public static void W64(Span<byte> b, ulong v, ByteOrder o)
    { if (o == ByteOrder.Big) BinaryPrimitives.WriteUInt64BigEndian(b, v); else BinaryPrimitives.WriteUInt64LittleEndian(b, v); }
}
