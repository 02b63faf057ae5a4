namespace HvDumpKit.Reader;

/// <summary>One batch of a <see cref="PageBatches"/> loop: its slot (0 or 1), its PFNs and how many are set.</summary>
public delegate void PageBatchAction(int slot, ulong[] pfns, int count);

/// <summary>
/// The batched page loop every whole-dump pass shares (the writers' pipeline, verify's scan, diff):
/// the PFNs of ascending ranges cut into fixed-size batches; each batch is processed on all
/// cores, then consumed in PFN order by one thread. Memory is the batches', whatever the dump
/// size. With overlap, a batch is consumed on a worker while the next one is processed (two slots).
/// </summary>
public static class PageBatches
{
    /// <param name="process">fills in a batch (reads, digests, compresses; parallel inside, see <see cref="ForEach"/>)</param>
    /// <param name="consume">takes a processed batch in order; never two at once</param>
    public static void Run(IEnumerable<PfnRange> ranges, int batchPages, bool overlap, PageBatchAction process, PageBatchAction consume,
        CancellationToken cancellation = default)
    {
        var slots = overlap ? new[] { new ulong[batchPages], new ulong[batchPages] } : new[] { new ulong[batchPages] };
        using var e = PfnRanges.Pfns(ranges).GetEnumerator();
        int cur = 0;
        Task? consuming = null;
        bool more = true;
        try
        {
            while (more)
            {
                // This slot's previous consumer finished: we waited for it before starting the next one.
                var pfns = slots[cur];
                int n = 0;
                while (n < batchPages && (more = e.MoveNext())) pfns[n++] = e.Current;
                if (n == 0) break;
                cancellation.ThrowIfCancellationRequested();
                process(cur, pfns, n);
                if (!overlap)
                {
                    consume(cur, pfns, n);
                    continue;
                }
                // Batches are consumed strictly in order, one at a time, while the next is processed.
                consuming?.GetAwaiter().GetResult();
                int slot = cur;
                consuming = Task.Run(() => consume(slot, pfns, n));
                cur ^= 1;
            }
        }
        finally
        {
            if (consuming is not null)
            {
                try { consuming.GetAwaiter().GetResult(); }
                catch when (more) { /* the producer's exception is the one to report */ }
            }
        }
    }

    /// <summary>work(i) for every i below count, on up to threads cores.</summary>
    public static void ForEach(int count, int threads, Action<int> work, CancellationToken cancellation = default)
    {
        if (threads <= 1)
        {
            // One CPU: Parallel.For's workers would spin and yield before they sleep.
            for (int i = 0; i < count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                work(i);
            }
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation }, work);
    }
}
