using HvDumpKit.Reader.IO;

namespace HvDumpKit.Reader.Crypto.Age;

/// <summary>
/// An age v1 file seen as its plaintext, with random access: a read decrypts only the 64 KiB
/// STREAM chunks it touches (each opens alone, its nonce being its index), through a small cache,
/// never a plaintext temporary on disk. It sits beneath every dump format, as FlattenedInput does.
/// The last chunk is checked at open, so a cut-short file is known before any reader trusts a length.
/// Thread-safe: readers on several threads share one instance.
/// </summary>
public sealed class AgeInput : IRandomAccessInput
{
    /// <summary>Decrypted chunks kept: enough for a reader's header, descriptor and data windows per thread.</summary>
    private const int CacheEntries = 16;

    private readonly IRandomAccessInput _ciphertext;
    private readonly AgeStreamKey _key;
    private readonly long _payloadStart;
    private readonly long _chunks;
    private readonly long _lastPlainLength;
    private readonly object _lock = new();
    private readonly byte[] _sealed = new byte[AgeLayout.SealedChunkSize];
    private readonly long[] _cachedIndex = new long[CacheEntries];
    private readonly long[] _cachedUse = new long[CacheEntries];
    private readonly byte[]?[] _cached = new byte[CacheEntries][];
    private long _clock;
    // Each reading thread decrypts with its own cipher and buffers, outside the lock: verify and
    // diff read on every core, and only the cache is shared.
    private readonly ThreadLocal<Reading> _reading;

    private AgeInput(IRandomAccessInput ciphertext, AgeHeader header, byte[] fileKey, byte[] nonce, bool allowTruncated)
    {
        _ciphertext = ciphertext;
        Header = header;
        _key = new AgeStreamKey(fileKey, nonce);
        var keyCopy = (byte[])fileKey.Clone();
        Array.Clear(fileKey);
        _reading = new ThreadLocal<Reading>(() => new Reading(new AgeStreamKey(keyCopy, nonce)));
        _payloadStart = header.Length + AgeLayout.PayloadNonceSize;
        Array.Fill(_cachedIndex, -1);
        long ct = ciphertext.Length - _payloadStart;
        if (ct <= 0)
            throw Truncated(_payloadStart, 0, "holds no chunk at all");
        _chunks = (ct + AgeLayout.SealedChunkSize - 1) / AgeLayout.SealedChunkSize;
        long lastSealed = ct - (_chunks - 1) * AgeLayout.SealedChunkSize;
        long last = _chunks - 1;
        var plain = new byte[AgeLayout.ChunkSize];
        if (lastSealed >= AgeLayout.TagSize && ReadSealed(last, (int)lastSealed) && _key.Open(last, true, _sealed.AsSpan(0,
            (int)lastSealed), plain))
        {
            // Only an empty payload may end in an empty chunk (age spec §Payload).
            if (lastSealed == AgeLayout.TagSize && _chunks > 1)
                throw Damaged(last, "is an empty last chunk after a full one (not allowed)");
            _lastPlainLength = lastSealed - AgeLayout.TagSize;
            Store(last, plain);
        }
        else if (lastSealed == AgeLayout.SealedChunkSize && _key.Open(last, false, _sealed, plain))
        {
            // A whole chunk that is not marked last: the file was cut on a chunk boundary.
            if (!allowTruncated)
                throw Truncated(ChunkOffset(last), last,
                    $"ends after chunk {last} (plaintext offset 0x{(last + 1) * AgeLayout.ChunkSize:X}), which is not marked last");
            IsTruncated = true;
            _lastPlainLength = AgeLayout.ChunkSize;
            Store(last, plain);
        }
        else if (lastSealed < AgeLayout.SealedChunkSize && allowTruncated && _chunks > 1)
        {
            // Cut inside a chunk: what is readable ends with the chunk before.
            IsTruncated = true;
            _chunks--;
            _lastPlainLength = AgeLayout.ChunkSize;
        }
        else
            throw Damaged(last, lastSealed < AgeLayout.SealedChunkSize
                ? "fails authentication as the last chunk (the file was cut short inside it, or altered)" : "fails authentication");
        Length = (_chunks - 1) * AgeLayout.ChunkSize + _lastPlainLength;
    }

    public AgeHeader Header { get; }
    public string Path => _ciphertext.Path;
    public long Length { get; }
    /// <summary>Opened with allowTruncated and no chunk carries the last-chunk flag: Length is what could be read.</summary>
    public bool IsTruncated { get; }
    public long ChunkCount => _chunks;

    /// <summary>The input itself when it is not an age file, else its plaintext, with the current command's keys.</summary>
    public static IRandomAccessInput OpenIfEncrypted(IRandomAccessInput input)
    {
        Span<byte> head = stackalloc byte[AgeLayout.Magic.Length];
        head.Clear();
        input.ReadAt(0, head);
        if (!AgeHeaderReader.LooksLikeAge(head)) return input;
        try { return Open(input, AgeKeyring.Current); }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    /// <summary>Opens ciphertext (owned: disposed with the result); keys null reports what the file is and refuses.</summary>
    public static AgeInput Open(IRandomAccessInput ciphertext, AgeKeyring? keys, bool allowTruncated = false)
    {
        var header = AgeHeaderReader.Read(ciphertext);
        if (keys is null)
            throw new AgeIdentityException(
                $"{ciphertext.Path}: an age-encrypted file (age v1, {header.DescribeRecipients()}); give --identity FILE to read it");
        var fileKey = keys.Unwrap(header, ciphertext.Path);
        var nonce = new byte[AgeLayout.PayloadNonceSize];
        if (ciphertext.ReadAt(header.Length, nonce) != nonce.Length)
            throw AgeHeaderReader.Error(ciphertext.Path, header.Length, "age payload nonce", null,
                "is truncated (16 bytes follow the header)");
        return new AgeInput(ciphertext, header, fileKey, nonce, allowTruncated);
    }

    public int ReadAt(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset >= Length) return 0;
        int total = (int)Math.Min(buffer.Length, Length - offset);
        int done = 0;
        while (done < total)
        {
            long at = offset + done;
            long index = at / AgeLayout.ChunkSize;
            int within = (int)(at % AgeLayout.ChunkSize);
            int n = Math.Min(total - done, PlainLength(index) - within);
            CopyChunk(index, within, buffer.Slice(done, n));
            done += n;
        }
        return total;
    }

    private int PlainLength(long index) => index == _chunks - 1 ? (int)_lastPlainLength : AgeLayout.ChunkSize;

    private long ChunkOffset(long index) => _payloadStart + index * AgeLayout.SealedChunkSize;

    private void CopyChunk(long index, int within, Span<byte> destination)
    {
        lock (_lock)
        {
            int hit = Find(index);
            if (hit >= 0)
            {
                _cachedUse[hit] = ++_clock;
                _cached[hit].AsSpan(within, destination.Length).CopyTo(destination);
                return;
            }
        }
        var r = _reading.Value!;
        bool last = index == _chunks - 1 && !IsTruncated;
        int plainLength = PlainLength(index), sealedLength = plainLength + AgeLayout.TagSize;
        if (_ciphertext.ReadAt(ChunkOffset(index), r.Sealed.AsSpan(0, sealedLength)) != sealedLength
            || !r.Key.Open(index, last, r.Sealed.AsSpan(0, sealedLength), r.Plain))
            throw Damaged(index, "fails authentication");
        r.Plain.AsSpan(within, destination.Length).CopyTo(destination);
        lock (_lock)
        {
            if (Find(index) >= 0) return; // another thread decrypted it meanwhile
            int slot = Victim();
            var cached = _cached[slot] ??= new byte[AgeLayout.ChunkSize];
            r.Plain.AsSpan(0, plainLength).CopyTo(cached);
            _cachedIndex[slot] = index;
            _cachedUse[slot] = ++_clock;
        }
    }

    private int Find(long index)
    {
        for (int i = 0; i < CacheEntries; i++) if (_cachedIndex[i] == index) return i;
        return -1;
    }

    private void Store(long index, byte[] plain)
    {
        int slot = Victim();
        _cached[slot] = plain;
        _cachedIndex[slot] = index;
        _cachedUse[slot] = ++_clock;
    }

    private int Victim()
    {
        int victim = 0;
        for (int i = 1; i < CacheEntries; i++) if (_cachedUse[i] < _cachedUse[victim]) victim = i;
        return victim;
    }

    private bool ReadSealed(long index, int length) => _ciphertext.ReadAt(ChunkOffset(index), _sealed.AsSpan(0, length)) == length;

    private DumpFormatException Damaged(long index, string problem) =>
        new(Path, ChunkOffset(index), $"age STREAM chunk {index}", null,
            $"{problem} (plaintext offset 0x{index * AgeLayout.ChunkSize:X}): the file was altered or damaged");

    private DumpFormatException Truncated(long offset, long index, string problem) =>
        new(Path, offset, $"age STREAM chunk {index}", null, $"is truncated: the payload {problem}; the file was cut short");

    public void Dispose()
    {
        _reading.Dispose();
        _ciphertext.Dispose();
    }

    private sealed class Reading(AgeStreamKey key)
    {
        public AgeStreamKey Key { get; } = key;
        public byte[] Sealed { get; } = new byte[AgeLayout.SealedChunkSize];
        public byte[] Plain { get; } = new byte[AgeLayout.ChunkSize];
    }
}
