using HvDumpKit.Writers.Output.Sinks;

namespace HvDumpKit.Writers.Output;

/// <summary>
/// A makedumpfile flattened stream inside age: the flattened records are the age plaintext, so
/// `age -d` gives the very stream makedumpfile -R reads. Completing the flattened stream (its end
/// marker) is what completes the age file (its last chunk); durability reaches the file beneath.
/// </summary>
public sealed class AgeFlattenedSink : IOutputSink
{
    private readonly AgeEncryptingSink _age;
    private readonly FlattenedSink _flat;
    private readonly Stream? _owned;

    /// <param name="owned">the ciphertext stream beneath, disposed with this sink (as FlattenedSink's ownsStream)</param>
    public AgeFlattenedSink(AgeEncryptingSink age, Stream? owned = null)
    {
        _age = age;
        _owned = owned;
        _flat = new FlattenedSink(new AgePlaintextStream(age), ownsStream: false);
    }

    public bool CanRewrite => false;
    public bool IsDurable => _age.IsDurable;
    public long BytesWritten => _flat.BytesWritten;
    public void WriteAt(long offset, ReadOnlySpan<byte> data) => _flat.WriteAt(offset, data);
    public void SetLength(long length) => _flat.SetLength(length);

    public void Flush(bool durable)
    {
        _flat.Flush(durable);
        _age.Flush(durable);
    }

    public void Complete()
    {
        _flat.Complete();
        _age.Complete();
    }

    public void Dispose()
    {
        _flat.Dispose();
        _age.Dispose();
        _owned?.Dispose();
    }
}
