using System.Numerics;
using HvDumpKit.Reader.Codecs;
using HvDumpKit.Reader.IO;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Kdump;

/// <summary>
/// makedumpfile's kdump-compressed format (plain, or flattened underneath through
/// FlattenedInput). Pages are found through the 2nd bitmap and the dense page_desc array;
/// dumpable counts per 4096-PFN section are kept (8 bytes per 16 MiB of memory at 4 KiB pages),
/// everything else is read on demand with small per-thread caches.
/// </summary>
public sealed class KdumpDumpSource : IDumpSource
{
    private readonly IRandomAccessInput _input;
    private readonly ulong[] _sectionPrefix; // dumpable pages before each section, from StartPfn
    private readonly ThreadLocal<Cache> _cache;
    private readonly List<string> _warnings = new();
    private const int WindowBytes = 256 << 10;
    // Half of a typical dump is zero pages, each stored as the same few compressed bytes (or one
    // shared copy at dump level 1). Decoding is deterministic: once a byte string has decoded
    // to a zero page, the same bytes under the same codec need no decompression.
    private sealed record ZeroPage(PageCompression Codec, byte[] Compressed);
    private ZeroPage? _zeroPage;

    private sealed class Cache(int blockSize)
    {
        public long Bm1Block = -1, Bm2Block = -1;
        public readonly byte[] Bm1 = new byte[blockSize], Bm2 = new byte[blockSize];
        public long DescFirst = -1; public int DescCount;
        public readonly byte[] Desc = new byte[KdumpLayout.Desc.Length * 1024];
        // Read-ahead of page data: makedumpfile and hvdump pack pages in PFN order, so a
        // scan reads the data area front to back. One 256 KiB pread serves ~100 pages.
        public readonly byte[] Window = new byte[Math.Max(WindowBytes, blockSize)];
        public long WindowAt = -1; public int WindowLen;
        // The last descriptor index computed: sequential readers continue from it instead of
        // recounting from the start of the 4096-PFN section.
        public ulong LastPfn = ulong.MaxValue, LastIndex;
    }

    private KdumpDumpSource(IRandomAccessInput input, KdumpHeader h, DumpLimits limits, DumpFormat format)
    {
        _input = input;
        Kdump = h;
        Format = format;
        var machine = MachineNames.FromUts(h.Machine);
        Notes = ReadNotes(input, h, limits);
        var vmciNote = Notes.VmcoreInfoNote;
        if (vmciNote is not null)
            VmcoreInfo = VmcoreInfo.FromBytes(Notes.Desc(vmciNote));
        else if (h.HeaderVersion >= 3 && h.OffsetVmcoreinfo > 0 && h.SizeVmcoreinfo > 0)
        {
            if (h.SizeVmcoreinfo > (ulong)limits.MaxVmcoreInfoBytes)
                throw DumpFormatException.Field(h.BlockSize + KdumpLayout.Sub.SizeVmcoreinfo, "kdump_sub_header.size_vmcoreinfo",
                    h.SizeVmcoreinfo, "exceeds the VMCOREINFO size limit");
            var buf = new byte[h.SizeVmcoreinfo];
            input.ReadExactly(h.OffsetVmcoreinfo, buf, "VMCOREINFO");
            VmcoreInfo = VmcoreInfo.FromBytes(buf);
        }
        if (machine == Machine.Unknown && VmcoreInfo is not null)
            _warnings.Add($"utsname.machine '{h.Machine}' is unknown");
        Header = new DumpHeader(format, machine, h.ByteOrder, h.BlockSize, true);
        MaxPfn = h.MaxMapnr;
        if (h.Incomplete) _warnings.Add("the dump is marked INCOMPLETE: writing stopped early; missing pages read as lost");
        _cache = new ThreadLocal<Cache>(() => new Cache(h.BlockSize));
        _sectionPrefix = CountDumpable();
        Facts = new DumpFacts
        {
            FormatName = (format == DumpFormat.Flattened ? "flattened kdump-compressed" : "kdump-compressed")
                + $" (header_version {h.HeaderVersion})",
            KernelRelease = h.Release,
            CrashTime = h.TimestampSec,
            UtsName = h.UtsName,
            PhysBase = h.PhysBase,
            Compression = h.Compression,
            Incomplete = h.Incomplete,
            Kdump = h,
            PageDescriptors = DumpablePages,
        };
    }

    public static KdumpDumpSource Open(IRandomAccessInput input, DumpLimits? limits = null, DumpFormat format = DumpFormat.Kdump)
    {
        try { return new KdumpDumpSource(input, KdumpHeaderReader.Read(input), limits ?? DumpLimits.Default, format); }
        catch (DumpFormatException ex) { throw ex.WithFile(input.Path); }
    }

    public KdumpHeader Kdump { get; }
    public DumpFormat Format { get; }
    public string Path => _input.Path;
    public DumpHeader Header { get; }
    public DumpFacts Facts { get; }
    public NoteSet Notes { get; }
    public VmcoreInfo? VmcoreInfo { get; }
    public ulong MaxPfn { get; }
    public int DumpLevel => Kdump.DumpLevel;
    public IReadOnlyList<string> Warnings => _warnings;
    /// <summary>Pages with a descriptor in this file.</summary>
    public ulong DumpablePages { get; private set; }

    private ulong FirstPfn => Kdump.Split ? Kdump.StartPfn : 0;
    private ulong EndPfn => Kdump.Split ? Kdump.EndPfn : Kdump.MaxMapnr;

    private static NoteSet ReadNotes(IRandomAccessInput input, KdumpHeader h, DumpLimits limits)
    {
        if (h.HeaderVersion < 4 || h.OffsetNote <= 0 || h.SizeNote == 0) return NoteSet.Empty;
        if (h.SizeNote > limits.MaxNoteBytes)
            throw DumpFormatException.Field(h.BlockSize + KdumpLayout.Sub.SizeNote, "kdump_sub_header.size_note", h.SizeNote,
                "exceeds the note size limit");
        if ((ulong)h.OffsetNote + h.SizeNote > (ulong)input.Length)
            throw DumpFormatException.Field(h.BlockSize + KdumpLayout.Sub.OffsetNote, "kdump_sub_header.offset_note", (ulong)h.OffsetNote,
                $"with size_note 0x{h.SizeNote:X} runs past end of file (0x{input.Length:X})");
        var blob = new byte[h.SizeNote];
        input.ReadExactly(h.OffsetNote, blob, "ELF notes");
        return NoteSet.Parse(blob, h.ByteOrder, h.OffsetNote, limits);
    }

    /// <summary>Streams the 2nd bitmap once, 1 MiB at a time, counting dumpable pages per section.</summary>
    private ulong[] CountDumpable()
    {
        ulong first = FirstPfn, end = EndPfn;
        ulong sections = (end - first + KdumpLayout.BitmapSectionPfns - 1) / KdumpLayout.BitmapSectionPfns;
        var prefix = new ulong[sections + 1];
        ulong total = 0;
        var buf = new byte[1 << 20];
        ulong pfn = first;
        int s = 0;
        while (pfn < end)
        {
            // Read whole sections (4096 pfns = 512 bytes) aligned to the section grid from `first`.
            ulong n = Math.Min((ulong)buf.Length * 8, end - pfn);
            ReadBitmapBits(Kdump.Bitmap2Offset, pfn, n, buf);
            for (ulong i = 0; i < n; i += KdumpLayout.BitmapSectionPfns)
            {
                prefix[s++] = total;
                ulong cnt = Math.Min(KdumpLayout.BitmapSectionPfns, n - i);
                total += PopCount(buf, i, cnt);
            }
            pfn += n;
        }
        prefix[s] = total;
        DumpablePages = total;
        return prefix;
    }

    /// <summary>Copies bits [pfn, pfn+count) of a bitmap into dst starting at bit 0.</summary>
    private void ReadBitmapBits(long bitmapOffset, ulong pfn, ulong count, byte[] dst)
    {
        ulong bytes = (count + 7) / 8;
        if (pfn % 8 == 0)
        {
            _input.ReadExactly(bitmapOffset + (long)(pfn / 8), dst.AsSpan(0, (int)bytes), "bitmap");
            return;
        }
        // Split files start on 4096-pfn boundaries (makedumpfile splitblocks), but be general.
        var tmp = new byte[bytes + 1];
        _input.ReadExactly(bitmapOffset + (long)(pfn / 8), tmp, "bitmap");
        int shift = (int)(pfn % 8);
        for (ulong i = 0; i < bytes; i++) dst[i] = (byte)((tmp[i] >> shift) | (tmp[i + 1] << (8 - shift)));
    }

    private static ulong PopCount(byte[] bits, ulong firstBit, ulong count)
    {
        ulong c = 0, i = firstBit, end = firstBit + count;
        while (i < end && (i & 63) != 0) { c += (ulong)((bits[i >> 3] >> (int)(i & 7)) & 1); i++; }
        while (i + 64 <= end) { c += (ulong)BitOperations.PopCount(BitConverter.ToUInt64(bits, (int)(i >> 3))); i += 64; }
        while (i < end) { c += (ulong)((bits[i >> 3] >> (int)(i & 7)) & 1); i++; }
        return c;
    }

    private bool Bit(bool second, ulong pfn, Cache c)
    {
        long bitmapOffset = second ? Kdump.Bitmap2Offset : Kdump.Bitmap1Offset;
        long byteIndex = (long)(pfn / 8);
        long block = byteIndex / Kdump.BlockSize;
        ref long cached = ref (second ? ref c.Bm2Block : ref c.Bm1Block);
        var buf = second ? c.Bm2 : c.Bm1;
        if (cached != block)
        {
            _input.ReadExactly(bitmapOffset + block * Kdump.BlockSize, buf, second ? "2nd bitmap" : "1st bitmap");
            cached = block;
        }
        return ((buf[byteIndex % Kdump.BlockSize] >> (int)(pfn % 8)) & 1) != 0;
    }

    /// <summary>Descriptor index of a dumpable pfn: section prefix plus the bits before it in its section.</summary>
    private ulong DescriptorIndex(ulong pfn, Cache c)
    {
        ulong rel = pfn - FirstPfn;
        ulong section = rel / KdumpLayout.BitmapSectionPfns;
        ulong sectionStart = FirstPfn + section * KdumpLayout.BitmapSectionPfns;
        ulong idx = _sectionPrefix[section];
        ulong from = sectionStart;
        if (c.LastPfn != ulong.MaxValue && c.LastPfn < pfn && c.LastPfn >= sectionStart)
        {
            // c.LastPfn is dumpable and had index c.LastIndex: count from the page after it.
            idx = c.LastIndex + 1;
            from = c.LastPfn + 1;
        }
        idx = CountFrom(from, pfn, idx, c);
        c.LastPfn = pfn;
        c.LastIndex = idx;
        return idx;
    }

    /// <summary>idx plus the dumpable PFNs in [from, pfn).</summary>
    private ulong CountFrom(ulong from, ulong pfn, ulong idx, Cache c)
    {
        for (ulong p = from; p < pfn; p++)
        {
            // Whole zero or full bytes are common; step a byte at a time where aligned.
            if ((p & 7) == 0 && p + 8 <= pfn)
            {
                long byteIndex = (long)(p / 8);
                long block = byteIndex / Kdump.BlockSize;
                if (c.Bm2Block != block) Bit(true, p, c);
                idx += (ulong)BitOperations.PopCount(c.Bm2[byteIndex % Kdump.BlockSize]);
                p += 7;
                continue;
            }
            if (Bit(true, p, c)) idx++;
        }
        return idx;
    }

    public PageStatus ReadPage(ulong pfn, Span<byte> page)
    {
        int bs = Kdump.BlockSize;
        page = page[..bs];
        if (pfn >= MaxPfn) { page.Clear(); return PageStatus.NotInDump; }
        var c = _cache.Value!;
        if (!Bit(false, pfn, c) && Kdump.HasTwoBitmaps) { page.Clear(); return PageStatus.NotInDump; }
        if (!Bit(true, pfn, c)) { page.Clear(); return PageStatus.Excluded; }
        if (pfn < FirstPfn || pfn >= EndPfn) { page.Clear(); return PageStatus.Lost; }
        ulong idx = DescriptorIndex(pfn, c);
        long descAt = Kdump.DescriptorsOffset + (long)idx * KdumpLayout.Desc.Length;
        if (c.DescFirst < 0 || (long)idx < c.DescFirst || (long)idx >= c.DescFirst + c.DescCount)
        {
            int want = c.Desc.Length / KdumpLayout.Desc.Length;
            int got = _input.ReadAt(descAt, c.Desc);
            c.DescFirst = (long)idx;
            c.DescCount = Math.Min(want, got / KdumpLayout.Desc.Length);
            if (c.DescCount == 0) { c.DescFirst = -1; page.Clear(); return PageStatus.Lost; }
        }
        var d = c.Desc.AsSpan((int)((long)idx - c.DescFirst) * KdumpLayout.Desc.Length, KdumpLayout.Desc.Length);
        var o = Kdump.ByteOrder;
        long offset = Endian.I64(d[KdumpLayout.Desc.Offset..], o);
        uint size = Endian.U32(d[KdumpLayout.Desc.Size..], o);
        uint flags = Endian.U32(d[KdumpLayout.Desc.Flags..], o);
        if (offset == 0) { page.Clear(); return PageStatus.Lost; } // incomplete dump: page never written
        if (offset < 0 || size == 0 || size > (uint)bs)
            throw new DumpFormatException(Path, descAt, "page_desc", $"offset 0x{offset:X} size {size}",
                $"for pfn 0x{pfn:x} is not a valid page location");
        var comp = (PageCompression)(flags & KdumpLayout.CompressionMask);
        if (comp == PageCompression.None)
        {
            if (size != (uint)bs)
                throw new DumpFormatException(Path, descAt + KdumpLayout.Desc.Size, "page_desc.size", size.ToString(),
                    $"for raw pfn 0x{pfn:x} is not the block size {bs}");
            var raw = PageData(offset, bs, c);
            if (raw.Length != bs) { page.Clear(); return PageStatus.Lost; }
            raw.CopyTo(page);
            return PageStatus.Present;
        }
        var data = PageData(offset, (int)size, c);
        if (data.Length != (int)size) { page.Clear(); return PageStatus.Lost; }
        if (Volatile.Read(ref _zeroPage) is { } z && z.Codec == comp
            && data.SequenceEqual(z.Compressed)) { page.Clear(); return PageStatus.Present; }
        try { PageCodecs.Decompress(comp, data, page); }
        catch (DumpFormatException ex) when (ex.FilePath is null)
        {
            throw new DumpFormatException(Path, offset + ex.Offset, "page data", null,
                $"of pfn 0x{pfn:x} ({PageCodecs.Name(comp)}, {size} bytes): {ex.Problem}", ex)
            { Pfn = pfn };
        }
        if (size <= 64 && _zeroPage is null && !page.ContainsAnyExcept((byte)0))
            Interlocked.CompareExchange(ref _zeroPage, new ZeroPage(comp, data.ToArray()), null);
        return PageStatus.Present;
    }

    /// <summary>size bytes at offset through the thread's read-ahead window (shorter only at end of file).</summary>
    private ReadOnlySpan<byte> PageData(long offset, int size, Cache c)
    {
        if (c.WindowAt < 0 || offset < c.WindowAt || offset + size > c.WindowAt + c.WindowLen)
        {
            c.WindowLen = _input.ReadAt(offset, c.Window);
            c.WindowAt = offset;
        }
        int at = (int)(offset - c.WindowAt);
        return c.Window.AsSpan(at, Math.Min(size, c.WindowLen - at));
    }

    public IEnumerable<PfnRange> RamRanges() => BitmapRuns(Kdump.Bitmap1Offset);
    public IEnumerable<PfnRange> PresentRanges() => BitmapRuns(Kdump.Bitmap2Offset);

    private IEnumerable<PfnRange> BitmapRuns(long bitmapOffset)
    {
        var buf = new byte[1 << 16];
        ulong pfn = 0, max = MaxPfn;
        ulong runStart = 0; bool inRun = false;
        while (pfn < max)
        {
            ulong n = Math.Min((ulong)buf.Length * 8, max - pfn);
            ReadBitmapBits(bitmapOffset, pfn, n, buf);
            for (ulong i = 0; i < n; i++)
            {
                if ((i & 7) == 0 && i + 8 <= n)
                {
                    byte b = buf[i >> 3];
                    if (b == 0xFF && inRun) { i += 7; continue; }
                    if (b == 0 && !inRun) { i += 7; continue; }
                }
                bool set = ((buf[i >> 3] >> (int)(i & 7)) & 1) != 0;
                if (set && !inRun) { inRun = true; runStart = pfn + i; }
                else if (!set && inRun) { inRun = false; yield return new PfnRange(runStart, pfn + i); }
            }
            pfn += n;
        }
        if (inRun) yield return new PfnRange(runStart, max);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _input.Dispose();
    }
}
