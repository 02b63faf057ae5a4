using HvDumpKit.Reader.Crypto.Age;
using Microsoft.Win32.SafeHandles;

namespace HvDumpKit.Writers.Output;

/// <summary>
/// An output sink that writes an age v1 file whose plaintext is exactly what the writer produces.
/// Writers write positionally and back-fill (descriptors after their data), but a STREAM chunk
/// may be encrypted only once: sealing index i twice with other bytes reuses its nonce and breaks
/// ChaCha20-Poly1305. So plaintext is held per 64 KiB chunk, with the byte ranges written so far,
/// and a chunk is sealed exactly once: when every byte of it was written and some byte after it
/// exists (only the last chunk carries the last-chunk flag, and only Complete knows which that is).
/// Memory is bounded: at most <c>maxPending</c> chunks are held (64 KiB each, default 64 → 4 MiB),
/// plus 8 sealed chunks queued for the encrypting thread;
/// past that the lowest pending chunk below the end is sealed with its unwritten bytes as zeros
/// (a hole). A later write into a sealed chunk throws instead of encrypting it again.
/// <see cref="CanRewrite"/> is false, so the kdump writer writes its final header once instead of
/// clearing INCOMPLETE afterwards: under age, the last-chunk flag is what says the file is whole.
/// Chunks are written out of order on a seekable file, in order on a stream (stdout).
/// </summary>
public sealed class AgeEncryptingSink : IOutputSink
{
    public const int DefaultMaxPending = 64;

    /// <summary>Where ciphertext goes: a positional write (a stream target only ever sees consecutive offsets).</summary>
    public delegate void CiphertextWriter(long offset, ReadOnlySpan<byte> data);

    private static readonly byte[] Zeros = new byte[AgeLayout.ChunkSize];
    private readonly CiphertextWriter _write;
    private readonly Action<bool> _flush;
    private readonly bool _seekable, _syncOnComplete;
    private readonly int _maxPending;
    private readonly AgeStreamKey _key;
    private readonly long _payloadStart;
    private readonly Dictionary<long, PendingChunk> _pending = new();
    private readonly System.Collections.Concurrent.ConcurrentStack<byte[]> _free = new();
    private readonly List<(long Start, long End)> _sealedRuns = new(); // sorted, merged: chunk indices sealed
    private readonly byte[] _out = new byte[AgeLayout.SealedChunkSize];
    // Sealed chunks are encrypted and written by one worker thread, in the order they were sealed,
    // so ChaCha20-Poly1305 (BouncyCastle's, about 200 MB/s on one core here) overlaps the writer's
    // own work instead of adding to it. The queue is bounded: at most QueueDepth chunks in flight.
    private const int QueueDepth = 8;
    private readonly System.Collections.Concurrent.BlockingCollection<Job> _jobs = new(QueueDepth);
    private readonly Thread _worker;
    private volatile Exception? _workerError;
    private readonly object _lock = new();
    private long _end;         // plaintext length so far (highest byte written or SetLength)
    private long _nextInOrder; // stream target: the next chunk index it may receive
    private long _written;
    private bool _completed;

    public AgeEncryptingSink(AgeRecipientSet recipients, CiphertextWriter write, Action<bool> flush, bool seekable,
        bool syncOnComplete = false, int maxPending = DefaultMaxPending, bool durable = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        IsDurable = durable;
        _write = write;
        _flush = flush;
        _seekable = seekable;
        _syncOnComplete = syncOnComplete;
        _maxPending = maxPending;
        var header = recipients.NewHeader(out var fileKey);
        var nonce = new byte[AgeLayout.PayloadNonceSize];
        Reader.Crypto.SystemRandom.Fill(nonce);
        _key = new AgeStreamKey(fileKey, nonce);
        Array.Clear(fileKey);
        _write(0, header);
        _write(header.Length, nonce);
        _payloadStart = header.Length + nonce.Length;
        _worker = new Thread(Work) { IsBackground = true, Name = "age-seal" };
        _worker.Start();
    }

    /// <summary>Ciphertext into a file by pwrite, chunks in any order.</summary>
    public static AgeEncryptingSink ForFile(AgeRecipientSet recipients, SafeFileHandle handle, bool syncOnComplete = false) =>
        new(recipients, (at, d) => RandomAccess.Write(handle, d, at), durable => { if (durable) RandomAccess.FlushToDisk(handle); },
            seekable: true, syncOnComplete, durable: true);

    /// <summary>
    /// Ciphertext into a stream, chunks strictly in order: stdout or a pipe (never durable), or a
    /// regular file written as a stream (a flattened save), whose handle the caller gives to fsync —
    /// durability is stated by the caller, not guessed from the stream's type.
    /// </summary>
    public static AgeEncryptingSink ForStream(AgeRecipientSet recipients, Stream stream, bool syncOnComplete = false,
        SafeFileHandle? durableFile = null) =>
        new(recipients, (_, d) => stream.Write(d), durable =>
        {
            stream.Flush();
            if (durable && durableFile is not null) RandomAccess.FlushToDisk(durableFile);
        }, seekable: false, syncOnComplete, durable: durableFile is not null);

    /// <summary>True when Flush(durable: true) reaches stable storage: a file, never a pipe.</summary>
    public bool IsDurable { get; }

    public bool CanRewrite => false;
    public long BytesWritten => Interlocked.Read(ref _written);
    /// <summary>Chunks held in memory now (tests and the memory bound).</summary>
    public int PendingChunks { get { lock (_lock) return _pending.Count; } }
    /// <summary>Ciphertext bytes of the finished file (after Complete).</summary>
    public long CiphertextLength { get; private set; }

    public void WriteAt(long offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            if (_completed) throw new InvalidOperationException("age: write after Complete");
            long first = offset / AgeLayout.ChunkSize, last = (offset + data.Length - 1) / AgeLayout.ChunkSize;
            for (long i = first; i <= last; i++)
                if (IsSealed(i))
                    throw new InvalidOperationException(
                        $"age: plaintext offset 0x{Math.Max(offset, i * AgeLayout.ChunkSize):X} lies in STREAM chunk {i}, " +
                        "already encrypted; writing it again would reuse its nonce (a writer back-filled past the pending-chunk bound)");
            long oldEnd = _end;
            int done = 0;
            for (long i = first; i <= last; i++)
            {
                long chunkStart = i * AgeLayout.ChunkSize;
                int within = (int)(offset + done - chunkStart);
                int n = Math.Min(data.Length - done, AgeLayout.ChunkSize - within);
                var p = Pending(i);
                data.Slice(done, n).CopyTo(p.Data.AsSpan(within));
                p.Cover(within, within + n);
                done += n;
            }
            _end = Math.Max(_end, offset + data.Length);
            Interlocked.Add(ref _written, data.Length);
            for (long i = first; i <= last; i++) TrySeal(i);
            // The chunk that was the end may now have bytes after it: no longer possibly the last one.
            if (_end > oldEnd && oldEnd > 0) TrySeal((oldEnd - 1) / AgeLayout.ChunkSize);
            while (_pending.Count > _maxPending) Evict();
        }
    }

    public void Flush(bool durable)
    {
        lock (_lock)
        {
            Drain(); // everything sealed so far is written before the fsync that says so
            _flush(durable);
        }
    }

    public void SetLength(long length)
    {
        lock (_lock)
        {
            if (length <= _end) return;
            long oldEnd = _end;
            _end = length;
            if (oldEnd > 0) TrySeal((oldEnd - 1) / AgeLayout.ChunkSize);
        }
    }

    /// <summary>Seals every chunk not yet sealed (holes as zeros), the last with the last-chunk flag.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed) return;
            _completed = true;
            long chunks = Math.Max(1, (_end + AgeLayout.ChunkSize - 1) / AgeLayout.ChunkSize);
            // Every chunk not sealed yet, in index order: pending ones with their bytes, holes as zeros.
            for (long i = _seekable ? 0 : _nextInOrder; i < chunks; i++)
                if (!IsSealed(i)) Seal(i, i == chunks - 1, chunks);
            CiphertextLength = _payloadStart + (chunks - 1) * AgeLayout.SealedChunkSize + LastPlainLength(chunks) + AgeLayout.TagSize;
            Drain();
            _flush(_syncOnComplete);
        }
    }

    private long LastPlainLength(long chunks) => _end - (chunks - 1) * AgeLayout.ChunkSize;

    private PendingChunk Pending(long index)
    {
        if (_pending.TryGetValue(index, out var p)) return p;
        var data = _free.TryPop(out var reused) ? reused : new byte[AgeLayout.ChunkSize];
        data.AsSpan().Clear(); // unwritten bytes of a sealed chunk are zeros, as in a sparse file
        p = new PendingChunk(data);
        _pending.Add(index, p);
        return p;
    }

    private void TrySeal(long index)
    {
        if (!_pending.TryGetValue(index, out var p) || !p.Full) return;
        if ((index + 1) * AgeLayout.ChunkSize >= _end) return; // possibly the last chunk: Complete decides
        if (!_seekable && index != _nextInOrder) return;       // a stream takes chunks in order only
        Seal(index, last: false, chunks: -1);
        // On a stream, chunks completed out of order were waiting for this one.
        while (!_seekable && _pending.TryGetValue(_nextInOrder,
            out var next) && next.Full && (_nextInOrder + 1) * AgeLayout.ChunkSize < _end)
            Seal(_nextInOrder, last: false, chunks: -1);
    }

    private void Evict()
    {
        long endChunk = (_end - 1) / AgeLayout.ChunkSize;
        long victim = _pending.Keys.Where(k => k < endChunk).DefaultIfEmpty(-1).Min();
        if (victim < 0) throw new InvalidOperationException("age: no pending chunk can be sealed");
        // Holes before it (never written) are sealed as zeros first on a stream, which takes chunks in order.
        if (!_seekable) for (long i = _nextInOrder; i < victim; i++) if (!IsSealed(i)) Seal(i, false, -1);
        Seal(victim, last: false, chunks: -1);
    }

    private void Seal(long index, bool last, long chunks)
    {
        if (IsSealed(index)) throw new InvalidOperationException($"age: STREAM chunk {index} sealed twice (a bug)");
        if (!_seekable && index != _nextInOrder)
            throw new InvalidOperationException($"age: chunk {index} out of order on a stream (next is {_nextInOrder})");
        int length = last ? (int)LastPlainLength(chunks) : AgeLayout.ChunkSize;
        byte[] plain = _pending.Remove(index, out var p) ? p.Data : Zeros;
        ThrowIfWorkerFailed();
        // Marked sealed now, on the writer's thread: a later write into it fails even while it is queued.
        _jobs.Add(new Job(index, last, plain, length, null));
        MarkSealed(index);
        if (!_seekable) _nextInOrder = index + 1;
    }

    private bool IsSealed(long index)
    {
        int lo = 0, hi = _sealedRuns.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            var (s, e) = _sealedRuns[mid];
            if (index < s) hi = mid - 1;
            else if (index >= e) lo = mid + 1;
            else return true;
        }
        return false;
    }

    private void MarkSealed(long index)
    {
        // Sealed chunks form few runs (a writer goes forward), so this list stays short.
        int at = _sealedRuns.FindIndex(r => r.Start > index);
        if (at < 0) at = _sealedRuns.Count;
        bool joinsLeft = at > 0 && _sealedRuns[at - 1].End == index;
        bool joinsRight = at < _sealedRuns.Count && _sealedRuns[at].Start == index + 1;
        if (joinsLeft && joinsRight)
        {
            _sealedRuns[at - 1] = (_sealedRuns[at - 1].Start, _sealedRuns[at].End);
            _sealedRuns.RemoveAt(at);
        }
        else if (joinsLeft) _sealedRuns[at - 1] = (_sealedRuns[at - 1].Start, index + 1);
        else if (joinsRight) _sealedRuns[at] = (index, _sealedRuns[at].End);
        else _sealedRuns.Insert(at, (index, index + 1));
    }

    private void Work()
    {
        foreach (var job in _jobs.GetConsumingEnumerable())
        {
            if (job.Done is not null) { job.Done.Set(); continue; }
            try
            {
                if (_workerError is null)
                {
                    _key.Seal(job.Index, job.Last, job.Plain.AsSpan(0, job.Length), _out);
                    _write(_payloadStart + job.Index * AgeLayout.SealedChunkSize, _out.AsSpan(0, job.Length + AgeLayout.TagSize));
                }
            }
            catch (Exception ex) { _workerError = ex; } // an I/O error (ENOSPC): reported to the writer at its next call
            if (job.Plain != Zeros) _free.Push(job.Plain);
        }
    }

    /// <summary>Waits until every chunk sealed so far is encrypted and written.</summary>
    private void Drain()
    {
        using var done = new ManualResetEventSlim();
        _jobs.Add(new Job(-1, false, Zeros, 0, done));
        done.Wait();
        ThrowIfWorkerFailed();
    }

    private void ThrowIfWorkerFailed()
    {
        if (_workerError is { } e)
            throw e is IOException io ? new IOException(io.Message, io)
                : new IOException("age: writing a sealed chunk failed: " + e.Message, e);
    }

    public void Dispose()
    {
        if (_jobs.IsAddingCompleted) return;
        _jobs.CompleteAdding();
        _worker.Join();
        _jobs.Dispose();
    }

    private readonly record struct Job(long Index, bool Last, byte[] Plain, int Length, ManualResetEventSlim? Done);

    /// <summary>A chunk's plaintext and which of its bytes were written (sorted, merged ranges).</summary>
    private sealed class PendingChunk(byte[] data)
    {
        private readonly List<(int Start, int End)> _ranges = new(2);
        public byte[] Data { get; } = data;
        public bool Full => _ranges.Count == 1 && _ranges[0] == (0, AgeLayout.ChunkSize);

        public void Cover(int start, int end)
        {
            int i = 0;
            while (i < _ranges.Count && _ranges[i].End < start) i++;
            int s = start, e = end;
            while (i < _ranges.Count && _ranges[i].Start <= end)
            {
                s = Math.Min(s, _ranges[i].Start);
                e = Math.Max(e, _ranges[i].End);
                _ranges.RemoveAt(i);
            }
            _ranges.Insert(i, (s, e));
        }
    }
}
