namespace HvDumpKit.Writers.Output;

/// <summary>
/// A write-only stream over an <see cref="AgeEncryptingSink"/>, for writers that produce a
/// stream (the flattened format): sequential writes become positional ones, so chunks fill and
/// seal in order, one 64 KiB chunk held at a time.
/// </summary>
public sealed class AgePlaintextStream(AgeEncryptingSink sink) : Stream
{
    private long _position;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _position;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        sink.WriteAt(_position, buffer);
        _position += buffer.Length;
    }

    public override void Flush() => sink.Flush(durable: false);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
