using System.Buffers.Binary;
using HvDumpKit.Reader;
using HvDumpKit.Reader.Flattened;
using HvDumpKit.Reader.IO;
using HvDumpKit.Tests.Builders;
using Xunit;

namespace HvDumpKit.Tests.Reader.Flattened;

public sealed class FlattenedInputTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static byte[] Stream(IEnumerable<(long Offset, byte[] Data)> records, bool end = true)
    {
        var ms = new MemoryStream();
        var h = new byte[4096];
        "makedumpfile"u8.CopyTo(h);
        BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(16), 1);
        BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(24), 1);
        ms.Write(h);
        var rh = new byte[16];
        foreach (var (off, data) in records)
        {
            BinaryPrimitives.WriteInt64BigEndian(rh, off);
            BinaryPrimitives.WriteInt64BigEndian(rh.AsSpan(8), data.Length);
            ms.Write(rh);
            ms.Write(data);
        }
        if (end) ms.Write(Enumerable.Repeat((byte)0xFF, 16).ToArray());
        return ms.ToArray();
    }

    private FlattenedInput Open(byte[] bytes)
    {
        var p = _dir.File("f" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllBytes(p, bytes);
        return FlattenedInput.Open(new PlainFileInput(p));
    }

    [Fact]
    public void ReadAt_GapsZeroAndLaterRecordWins()
    {
        using var f = Open(Stream([(100, [1, 1, 1, 1]), (0, [2, 2]), (102, [3, 3, 3, 3, 3])]));
        Assert.True(f.Complete);
        Assert.Equal(107, f.Length);
        var buf = new byte[107];
        Assert.Equal(107, f.ReadAt(0, buf));
        Assert.Equal(new byte[] { 2, 2, 0 }, buf[..3]);
        Assert.Equal(new byte[] { 1, 1, 3, 3, 3, 3, 3 }, buf[100..107]);
    }

    [Fact]
    public void Open_NoEndMarker_MarkedIncomplete()
    {
        var s = Stream([(0, new byte[] { 9, 9 })], end: false);
        using var f = Open(s);
        Assert.False(f.Complete);
    }

    [Theory]
    [InlineData(-5L, 4L, "makedumpfile_data_header.offset")]
    [InlineData(0L, 0L, "makedumpfile_data_header.buf_size")]
    [InlineData(long.MaxValue - 1, 100L, "makedumpfile_data_header.offset")]
    public void Open_BogusRecordHeader_NamesField(long off, long size, string field)
    {
        var s = Stream([]);
        var rec = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(rec, off);
        BinaryPrimitives.WriteInt64BigEndian(rec.AsSpan(8), size);
        var bytes = s[..4096].Concat(rec).Concat(new byte[200]).ToArray();
        var ex = Assert.Throws<DumpFormatException>(() => { using var _ = Open(bytes); });
        Assert.Equal(field, ex.FieldName);
    }

    [Fact]
    public void Open_WrongSignatureType_Rejected()
    {
        var s = Stream([(0, new byte[] { 1 })]);
        BinaryPrimitives.WriteInt64BigEndian(s.AsSpan(16), 7);
        var ex = Assert.Throws<DumpFormatException>(() => { using var _ = Open(s); });
        Assert.Equal("makedumpfile_header.type", ex.FieldName);
    }
}
