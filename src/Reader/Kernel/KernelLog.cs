using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Kernel;

/// <summary>
/// The kernel log from VMCOREINFO alone (fadump.md §4): the lockless ring buffer (5.10+) or
/// the variable-length record buffer (3.5–5.9). A damaged buffer yields what can be read and a
/// warning; every walk is bounded by the ring's own size, so corrupt ids or lengths cannot loop.
/// </summary>
public sealed class KernelLog
{
    private const int MaxTextLength = 1 << 16;

    public KernelLog(IReadOnlyList<LogRecord> records, IReadOnlyList<string> warnings, string format)
    {
        Records = records;
        Warnings = warnings;
        Format = format;
    }

    public IReadOnlyList<LogRecord> Records { get; }
    public IReadOnlyList<string> Warnings { get; }
    /// <summary>"lockless", "structured" or "none".</summary>
    public string Format { get; }

    /// <summary>The log as dmesg prints it, one line per record (vmcore-dmesg.txt, makedumpfile --dump-dmesg).</summary>
    /// <param name="caller">with the [T…]/[C…] caller id of each record</param>
    public string Text(bool caller)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var r in Records) sb.Append(r.Format(caller)).Append('\n');
        return sb.ToString();
    }

    public static KernelLog Read(IDumpSource source)
    {
        var vi = source.VmcoreInfo;
        var warnings = new List<string>();
        if (vi is null) return new KernelLog([], ["the dump has no VMCOREINFO"], "none");
        var mem = KernelMemory.TryCreate(source, out var why);
        if (mem is null) return new KernelLog([], [why!], "none");
        if (vi.Symbol("prb") is not null) return ReadLockless(vi, mem, warnings);
        if (vi.Symbol("log_first_idx") is not null || vi.Symbol("log_buf") is not null) return ReadStructured(vi, mem, warnings);
        return new KernelLog([], ["VMCOREINFO has neither SYMBOL(prb) nor SYMBOL(log_buf)"], "none");
    }

    private static long Off(VmcoreInfo vi, string member, List<string> missing)
    {
        var v = vi.Offset(member);
        if (v is null) missing.Add($"OFFSET({member})");
        return v ?? 0;
    }

    private static KernelLog ReadLockless(VmcoreInfo vi, KernelMemory mem, List<string> warnings)
    {
        var missing = new List<string>();
        long oDescRing = Off(vi, "printk_ringbuffer.desc_ring", missing), oTextRing = Off(vi, "printk_ringbuffer.text_data_ring", missing);
        long oCountBits = Off(vi, "prb_desc_ring.count_bits", missing), oDescs = Off(vi, "prb_desc_ring.descs", missing);
        long oInfos = Off(vi, "prb_desc_ring.infos", missing), oHead = Off(vi, "prb_desc_ring.head_id", missing), oTail = Off(vi,
            "prb_desc_ring.tail_id", missing);
        long oState = Off(vi, "prb_desc.state_var", missing), oLpos = Off(vi, "prb_desc.text_blk_lpos", missing);
        long oBegin = Off(vi, "prb_data_blk_lpos.begin", missing), oNext = Off(vi, "prb_data_blk_lpos.next", missing);
        long oSeq = Off(vi, "printk_info.seq", missing), oTs = Off(vi, "printk_info.ts_nsec", missing), oLen = Off(vi,
            "printk_info.text_len", missing);
        long? oCaller = vi.Offset("printk_info.caller_id");
        long oSizeBits = Off(vi, "prb_data_ring.size_bits", missing), oData = Off(vi, "prb_data_ring.data", missing);
        long oCounter = vi.Offset("atomic_long_t.counter") ?? 0;
        long sDesc = vi.Size("prb_desc") ?? 0, sInfo = vi.Size("printk_info") ?? 0;
        if (sDesc <= 0) missing.Add("SIZE(prb_desc)");
        if (sInfo <= 0) missing.Add("SIZE(printk_info)");
        if (missing.Count > 0)
            return new KernelLog([], [$"VMCOREINFO lacks {string.Join(", ", missing)}"], "lockless");

        ulong? rb = mem.U64(vi.Symbol("prb")!.Value);
        if (rb is null) return new KernelLog([], ["cannot read the prb pointer"], "lockless");
        ulong descRing = rb.Value + (ulong)oDescRing, textRing = rb.Value + (ulong)oTextRing;
        uint? countBits = mem.U32(descRing + (ulong)oCountBits);
        ulong? descs = mem.U64(descRing + (ulong)oDescs), infos = mem.U64(descRing + (ulong)oInfos);
        ulong? head = mem.U64(descRing + (ulong)oHead + (ulong)oCounter), tail = mem.U64(descRing + (ulong)oTail + (ulong)oCounter);
        uint? sizeBits = mem.U32(textRing + (ulong)oSizeBits);
        ulong? data = mem.U64(textRing + (ulong)oData);
        if (countBits is null || descs is null || infos is null || head is null || tail is null || sizeBits is null || data is null)
            return new KernelLog([], ["the printk ring buffer header is not in the dump"], "lockless");
        if (countBits > 30 || sizeBits > 40)
            return new KernelLog([], [$"implausible ring sizes (count_bits {countBits}, size_bits {sizeBits})"], "lockless");
        ulong count = 1UL << (int)countBits.Value, size = 1UL << (int)sizeBits.Value;
        const ulong idMask = (1UL << 62) - 1;
        var records = new List<LogRecord>();
        int skipped = 0, unreadable = 0;
        ulong id = tail.Value & idMask, last = head.Value & idMask;
        Span<byte> fl = stackalloc byte[2];
        for (ulong n = 0; n < count; n++, id = (id + 1) & idMask)
        {
            ulong desc = descs.Value + (id % count) * (ulong)sDesc;
            ulong? sv = mem.U64(desc + (ulong)oState + (ulong)oCounter);
            if (sv is null) { unreadable++; if (id == last) break; continue; }
            ulong state = sv.Value >> 62;
            if ((sv.Value & idMask) != id || (state != 1 && state != 2)) { skipped++; if (id == last) break; continue; }
            ulong? begin = mem.U64(desc + (ulong)oLpos + (ulong)oBegin), next = mem.U64(desc + (ulong)oLpos + (ulong)oNext);
            ulong info = infos.Value + (id % count) * (ulong)sInfo;
            ulong? seq = mem.U64(info + (ulong)oSeq), ts = mem.U64(info + (ulong)oTs);
            ushort? textLen = mem.U16(info + (ulong)oLen);
            if (begin is null || next is null || seq is null || ts is null
                || textLen is null) { unreadable++; if (id == last) break; continue; }
            // Facility and level follow text_len (u16 text_len; u8 facility; u8 flags:5, level:3).
            bool haveFl = mem.TryRead(info + (ulong)oLen + 2, fl);
            int level = haveFl ? (mem.ByteOrder == ByteOrder.Little ? fl[1] >> 5 : fl[1] & 7) : -1;
            int facility = haveFl ? fl[0] : -1;
            uint? caller = oCaller is long oc ? mem.U32(info + (ulong)oc) : null;
            byte[] text = [];
            if ((begin.Value & 1) == 0 && (next.Value & 1) == 0)
            {
                ulong b = begin.Value % size, e = next.Value % size;
                if (b == e) { if (id == last) break; continue; }
                if (b > e) b = 0; // the block wrapped: its data is at the start of the ring
                ulong avail = e - b >= 8 ? e - b - 8 : 0;
                int len = (int)Math.Min(Math.Min(textLen.Value, avail), MaxTextLength);
                text = new byte[len];
                if (!mem.TryRead(data.Value + b + 8, text)) { unreadable++; if (id == last) break; continue; }
                if (textLen.Value > avail) warnings.Add($"record {seq}: text_len {textLen} exceeds its data block; truncated to {len}");
            }
            else if (begin.Value != 3) { skipped++; if (id == last) break; continue; } // FAILED_LPOS: no data
            records.Add(new LogRecord(seq.Value, ts.Value, level, facility, caller, text));
            if (id == last) break;
        }
        if (unreadable > 0) warnings.Add($"{unreadable} log records are not readable from the dump (pages missing or corrupt)");
        if (skipped > 1) warnings.Add($"{skipped} descriptors were skipped (reserved, reused or corrupt)");
        return new KernelLog(records, warnings, "lockless");
    }

    private static KernelLog ReadStructured(VmcoreInfo vi, KernelMemory mem, List<string> warnings)
    {
        string s = vi.Size("printk_log") is not null ? "printk_log" : "log";
        long? hdrSize = vi.Size(s);
        long? oTs = vi.Offset($"{s}.ts_nsec"), oLen = vi.Offset($"{s}.len"), oTextLen = vi.Offset($"{s}.text_len");
        long? oCaller = vi.Offset($"{s}.caller_id");
        ulong? logBufPtr = vi.Symbol("log_buf"), lenSym = vi.Symbol("log_buf_len"), firstSym = vi.Symbol("log_first_idx"),
            nextSym = vi.Symbol("log_next_idx");
        if (hdrSize is null || oTs is null || oLen is null || oTextLen is null || logBufPtr is null || lenSym is null || firstSym is null
            || nextSym is null)
            return new KernelLog([], ["VMCOREINFO lacks the printk_log keys"], "structured");
        ulong? buf = mem.U64(logBufPtr.Value);
        uint? bufLen = mem.U32(lenSym.Value), first = mem.U32(firstSym.Value), nextIdx = mem.U32(nextSym.Value);
        if (buf is null || bufLen is null || first is null || nextIdx is null)
            return new KernelLog([], ["the log buffer variables are not in the dump"], "structured");
        var records = new List<LogRecord>();
        uint idx = first.Value;
        ulong seq = 0;
        // Each record is at least hdrSize bytes: more steps than that means a loop.
        Span<byte> fl = stackalloc byte[2];
        ulong maxSteps = bufLen.Value / (ulong)Math.Max(8, hdrSize.Value) + 2;
        for (ulong step = 0; idx != nextIdx.Value; step++)
        {
            if (step > maxSteps || idx >= bufLen.Value) { warnings.Add($"log_buf is corrupted at index {idx}; stopping"); break; }
            ulong rec = buf.Value + idx;
            ushort? len = mem.U16(rec + (ulong)oLen.Value);
            if (len is null) { warnings.Add($"log record at index {idx} is not in the dump"); break; }
            if (len.Value == 0) { idx = 0; continue; } // wrap to the start of the buffer
            ushort? textLen = mem.U16(rec + (ulong)oTextLen.Value);
            ulong? ts = mem.U64(rec + (ulong)oTs.Value);
            if (textLen is null || ts is null
                || len.Value < hdrSize.Value) { warnings.Add($"log record at index {idx} is corrupt"); break; }
            var text = new byte[Math.Min((int)textLen.Value, len.Value - (int)hdrSize.Value)];
            mem.TryRead(rec + (ulong)hdrSize.Value, text);
            bool haveFl = mem.TryRead(rec + (ulong)oTextLen.Value + 4, fl);
            uint? caller = oCaller is long oc ? mem.U32(rec + (ulong)oc) : null;
            records.Add(new LogRecord(seq++, ts.Value, haveFl ? (mem.ByteOrder == ByteOrder.Little ? fl[1] >> 5 : fl[1] & 7) : -1,
                haveFl ? fl[0] : -1, caller, text));
            idx += len.Value;
        }
        return new KernelLog(records, warnings, "structured");
    }
}
