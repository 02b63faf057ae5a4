using System.Buffers.Binary;
using HvDumpKit.Reader.Flattened;
using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Writers.Output.Sinks;

/// <summary>
/// Turns positioned writes into makedumpfile flattened records (flattened.md §2): a 4096-byte
/// big-endian start header, then (offset, size, payload) records, then 16 bytes of 0xFF. Small
/// writes that continue the previous one are coalesced so records stay few; records never
/// overlap and are never empty.
/// </summary>
public sealed class FlattenedSink : IOutputSink
{
    private const int CoalesceLimit = 1 << 20;
    private readonly Stream _out;
    private readonly bool _ownsStream;
    private readonly byte[] _pending = new byte[CoalesceLimit];
    private long _pendingOffset = -1;
    private int _pendingLength;
    private long _written;
    private readonly object _lock = new();
    private readonly SafeFileHandle? _file;

    /// <param name="output">where the records go, in order</param>
    /// <param name="ownsStream">dispose output with the sink</param>
    /// <param name="file">
    /// the regular file output ends in, when it does: Flush(durable) fsyncs it and the sink is
    /// durable. Null for a pipe or a terminal: nothing can make those bytes durable.
    /// </param>
    public FlattenedSink(Stream output, bool ownsStream, SafeFileHandle? file = null)
    {
        _out = output;
        _ownsStream = ownsStream;
        _file = file;
        var header = new byte[FlattenedLayout.HeaderSize];
        FlattenedLayout.Signature.CopyTo(header);
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(FlattenedLayout.Type), FlattenedLayout.TypeFlatHeader);
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(FlattenedLayout.Version), FlattenedLayout.VersionFlatHeader);
        _out.Write(header);
        _written = header.Length;
    }

    public bool CanRewrite => false;
    public bool IsDurable => _file is not null;
    public long BytesWritten => _written;

    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (_lock)
        {
            if (_pendingLength > 0 && offset == _pendingOffset + _pendingLength && _pendingLength + data.Length <= CoalesceLimit)
            {
                data.CopyTo(_pending.AsSpan(_pendingLength));
                _pendingLength += data.Length;
                return;
            }
            FlushPending();
            if (data.Length >= CoalesceLimit) { EmitRecord(offset, data); return; }
            data.CopyTo(_pending);
            _pendingOffset = offset;
            _pendingLength = data.Length;
        }
    }

    private void FlushPending()
    {
        if (_pendingLength == 0) return;
        EmitRecord(_pendingOffset, _pending.AsSpan(0, _pendingLength));
        _pendingLength = 0;
    }

    private void EmitRecord(long offset, ReadOnlySpan<byte> data)
    {
        Span<byte> h = stackalloc byte[FlattenedLayout.RecordHeaderSize];
        BinaryPrimitives.WriteInt64BigEndian(h, offset);
        BinaryPrimitives.WriteInt64BigEndian(h[8..], data.Length);
        _out.Write(h);
        _out.Write(data);
        _written += h.Length + data.Length;
    }

    public void Flush(bool durable)
    {
        lock (_lock)
        {
            FlushPending();
            _out.Flush();
            if (durable && _file is not null) RandomAccess.FlushToDisk(_file);
        }
    }

    public void SetLength(long length)
    {
        // A stream has no holes to extend; readers treat unwritten ranges as zero.
    }

    public void Complete()
    {
        lock (_lock)
        {
            FlushPending();
            Span<byte> end = stackalloc byte[FlattenedLayout.RecordHeaderSize];
            end.Fill(0xFF);
            _out.Write(end);
            _written += end.Length;
            _out.Flush();
        }
    }

    public void Dispose() { if (_ownsStream) _out.Dispose(); }
}
