using HvDumpKit.Reader;
using HvDumpKit.Reader.Kernel;

namespace HvDumpKit.Writers.Kdump;

/// <summary>
/// Where a --split run cuts the PFN space (kdump-compressed.md §9.1): N contiguous ranges over
/// [0, max_mapnr), each with about 1/N of the dumpable pages, cut only on splitblock
/// boundaries. crash reads a split file's bitmap from start_pfn in 64-bit words and counts
/// per 4096-PFN section, so a splitblock is a multiple of 4096 PFNs.
/// </summary>
public static class SplitPlan
{
    public const ulong SectionPfns = 4096;

    /// <summary>The max_mapnr a kdump-compressed file of this source gets (the last mem_map section, as makedumpfile).</summary>
    public static ulong MaxMapnr(IDumpSource source) => Math.Min(source.MaxPfn, SparseMem.EndOfMemMap(source) ?? source.MaxPfn);

    /// <summary>splitblock size in bytes (makedumpfile's --splitblock-size is KiB) to PFNs, rounded up to whole sections.</summary>
    public static ulong SplitblockPfns(long bytes, int pageSize)
    {
        ulong pfns = Math.Max(1, (ulong)bytes / (ulong)pageSize);
        return (pfns + SectionPfns - 1) / SectionPfns * SectionPfns;
    }

    public static PfnRange[] Cut(IEnumerable<PfnRange> present, ulong maxMapnr, int files, ulong splitblockPfns)
    {
        if (files < 1) throw new ArgumentOutOfRangeException(nameof(files));
        ulong blocks = (maxMapnr + splitblockPfns - 1) / splitblockPfns;
        // One counter per splitblock (a 64 TiB machine has 65536 of 1 GiB): bounded, never per page.
        var perBlock = new ulong[Math.Max(1UL, blocks)];
        ulong total = 0;
        foreach (var r in present)
        {
            ulong s = r.Start, e = Math.Min(r.End, maxMapnr);
            while (s < e)
            {
                ulong b = s / splitblockPfns;
                ulong blockEnd = Math.Min(e, (b + 1) * splitblockPfns);
                perBlock[b] += blockEnd - s;
                total += blockEnd - s;
                s = blockEnd;
            }
        }
        var cuts = new PfnRange[files];
        ulong start = 0, blockIndex = 0;
        for (int i = 0; i < files; i++)
        {
            ulong end;
            if (i == files - 1) end = maxMapnr;
            else
            {
                // Take whole splitblocks until this file holds its share of the dumpable pages.
                ulong share = total / (ulong)files, got = 0;
                while (blockIndex < blocks && got < share) got += perBlock[blockIndex++];
                end = Math.Min(maxMapnr, blockIndex * splitblockPfns);
            }
            cuts[i] = new PfnRange(start, Math.Max(start, end));
            start = cuts[i].End;
        }
        return cuts;
    }
}
