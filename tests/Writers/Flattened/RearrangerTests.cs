using System.Buffers.Binary;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Flattened;
using HvDumpKit.Writers.Flattened;
using Xunit;

namespace HvDumpKit.Tests.Writers.Flattened;

public sealed class RearrangerTests
{
    private static byte[] Header()
    {
        var h = new byte[FlattenedLayout.HeaderSize];
        FlattenedLayout.Signature.CopyTo(h);
        BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(FlattenedLayout.Type), FlattenedLayout.TypeFlatHeader);
        BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(FlattenedLayout.Version), FlattenedLayout.VersionFlatHeader);
        return h;
    }

    private static byte[] Record(long offset, byte[] data)
    {
        var r = new byte[FlattenedLayout.RecordHeaderSize + data.Length];
        BinaryPrimitives.WriteInt64BigEndian(r, offset);
        BinaryPrimitives.WriteInt64BigEndian(r.AsSpan(8), data.Length);
        data.CopyTo(r, FlattenedLayout.RecordHeaderSize);
        return r;
    }

    private static byte[] End() => Record(FlattenedLayout.EndFlag, [])
        .Select((b, i) => i < 16 ? (byte)0xff : b).ToArray();

    [Fact]
    public void Run_RecordsOutOfOrder_EachAtItsOffsetAndTheBytesCounted()
    {
        var stream = new MemoryStream([.. Header(), .. Record(6, [7, 8, 9]), .. Record(0, [1, 2]), .. Record(2, [3, 4]), .. End()]);
        var output = new MemoryStream();
        Assert.Equal(7, Rearranger.Run(stream, output));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 0, 0, 7, 8, 9 }, output.ToArray());
    }

    [Fact]
    public void Run_NotFlattened_SignatureError()
    {
        var h = Header();
        h[0] = (byte)'M';
        var ex = Assert.Throws<DumpFormatException>(() => Rearranger.Run(new MemoryStream([.. h, .. End()]), new MemoryStream()));
        Assert.Equal("makedumpfile_header.signature", ex.FieldName);
        Assert.Equal("is not a flattened makedumpfile stream", ex.Problem);
    }

    [Fact]
    public void Run_NoEndMarker_SaysSoAtTheOffsetItEnded()
    {
        var ex = Assert.Throws<DumpFormatException>(() =>
            Rearranger.Run(new MemoryStream([.. Header(), .. Record(0, [1, 2, 3])]), new MemoryStream()));
        Assert.Equal("makedumpfile_data_header", ex.FieldName);
        Assert.Equal("is missing: the stream ended without its end marker", ex.Problem);
        Assert.Equal(FlattenedLayout.HeaderSize + FlattenedLayout.RecordHeaderSize + 3, ex.Offset);
    }

    [Fact]
    public void Run_ZeroSizedRecord_NotAValidRecord()
    {
        var ex = Assert.Throws<DumpFormatException>(() =>
            Rearranger.Run(new MemoryStream([.. Header(), .. Record(0, []), .. End()]), new MemoryStream()));
        Assert.Equal("is not a valid record (buf_size 0)", ex.Problem);
    }
}
