using System.Globalization;
using HvDumpKit.Reader.Notes;

namespace HvDumpKit.Reader.Arch.Arm64;

/// <summary>
/// Where an arm64 kernel put its linear map, its image and its page tables, from VMCOREINFO
/// (NUMBER(VA_BITS), NUMBER(kimage_voffset), NUMBER(PHYS_OFFSET), NUMBER(TCR_EL1_T1SZ),
/// SYMBOL(swapper_pg_dir), SYMBOL(_stext), PAGESIZE, NUMBER(MAX_PHYSMEM_BITS)).
/// Since 5.4 the linear map is the lower half of the kernel VA space, [-(1 &lt;&lt; VA_BITS),
/// -(1 &lt;&lt; (VA_BITS_MIN - 1))), and the image, modules, vmalloc and vmemmap the upper half;
/// before 5.4 the halves were the other way round. The kernel image always sits in the half
/// that is not the linear map, so where swapper_pg_dir lies tells the two apart without
/// trusting a version string. The linear map translates as (va − PAGE_OFFSET) + PHYS_OFFSET,
/// where VMCOREINFO's PHYS_OFFSET is memstart_addr (KASLR's linear randomisation included);
/// the image as va − kimage_voffset.
/// </summary>
public sealed record Arm64KernelLayout
{
    public const int MinVaBits = 36, MaxVaBits = 52;

    /// <summary>NUMBER(VA_BITS): the kernel's configured VA size.</summary>
    public required int VaBits { get; init; }
    /// <summary>64 − TCR_EL1.T1SZ when VMCOREINFO has it (5.9+), else VA_BITS: what the hardware runs.</summary>
    public required int VaBitsActual { get; init; }
    public required int PageSize { get; init; }
    public required ulong PageOffset { get; init; }
    /// <summary>One past the linear map's last address (0 = the top of the address space).</summary>
    public required ulong PageEnd { get; init; }
    public required ulong PhysOffset { get; init; }
    public required ulong KimageVoffset { get; init; }
    public required ulong SwapperPgDir { get; init; }
    /// <summary>Output addresses of 52 bits (MAX_PHYSMEM_BITS 52: 64 KiB LPA, or LPA2 with 4/16 KiB).</summary>
    public required bool Pa52 { get; init; }
    /// <summary>The part of the image VMCOREINFO vouches for: [_stext, swapper_pg_dir + one page).</summary>
    public required ulong ImageStart { get; init; }
    public required ulong ImageEnd { get; init; }
    /// <summary>Whether the linear map is the lower half (5.4 and later).</summary>
    public required bool FlippedVa { get; init; }

    /// <summary>The lowest kernel address, -(1 &lt;&lt; VA_BITS).</summary>
    public ulong KernelBase => unchecked((ulong)-(1L << VaBits));
    public ulong SwapperPgDirPhys => SwapperPgDir - KimageVoffset;

    public bool IsLinear(ulong va) => va >= PageOffset && (PageEnd == 0 || va < PageEnd);
    public bool IsImage(ulong va) => va >= ImageStart && va < ImageEnd;
    public ulong LinearToPhys(ulong va) => va - PageOffset + PhysOffset;

    /// <summary>
    /// Null with the reason when VMCOREINFO lacks a key translation needs; throws
    /// DumpFormatException when a key holds a value no arm64 kernel has.
    /// </summary>
    public static Arm64KernelLayout? TryRead(VmcoreInfo vi, int pageSize, long noteOffset, out string? why)
    {
        why = null;
        long? vaBits = vi.Number("VA_BITS"), voffset = vi.Number("kimage_voffset"), physOffset = vi.Number("PHYS_OFFSET");
        ulong? swapper = vi.Symbol("swapper_pg_dir");
        string? missing = vaBits is null ? "NUMBER(VA_BITS)" : voffset is null ? "NUMBER(kimage_voffset)"
            : physOffset is null ? "NUMBER(PHYS_OFFSET)" : swapper is null ? "SYMBOL(swapper_pg_dir)" : null;
        if (missing is not null) { why = $"VMCOREINFO lacks {missing}"; return null; }

        if (vaBits < MinVaBits || vaBits > MaxVaBits)
            throw Bad(noteOffset, "NUMBER(VA_BITS)", vaBits!.Value, $"is not an arm64 VA size ({MinVaBits}–{MaxVaBits})");
        int va = (int)vaBits!.Value;
        if (pageSize is not (4096 or 16384 or 65536))
            throw Bad(noteOffset, "PAGESIZE", pageSize, "is not an arm64 granule (4096, 16384 or 65536)");
        // The VA sizes arch/arm64/Kconfig offers for each granule: any other pairing is not a kernel.
        int[] allowed = pageSize switch { 4096 => [39, 48, 52], 16384 => [36, 47, 48, 52], _ => [42, 48, 52] };
        if (!allowed.Contains(va))
            throw Bad(noteOffset, "NUMBER(VA_BITS)", va,
                $"does not go with PAGESIZE {pageSize} (a {pageSize / 1024} KiB granule builds with VA_BITS {string.Join(", ", allowed)})");
        if (swapper!.Value % (ulong)pageSize != 0)
            throw Bad(noteOffset, "SYMBOL(swapper_pg_dir)", swapper.Value,
                $"is not aligned to PAGESIZE {pageSize}: the granule the tables were built with is not PAGESIZE");

        int actual = va;
        if (vi.Number("TCR_EL1_T1SZ") is long t1sz)
        {
            if (t1sz < 64 - MaxVaBits || t1sz > 64 - MinVaBits || 64 - t1sz > va)
                throw Bad(noteOffset, "NUMBER(TCR_EL1_T1SZ)", t1sz,
                    $"is not a kernel VA size of at most VA_BITS {va} (T1SZ {64 - va}–28)");
            actual = 64 - (int)t1sz;
        }
        int vaMin = Math.Min(va, 48); // VA_BITS_MIN: a 52-bit kernel also boots on 48-bit hardware
        ulong upperHalf = unchecked((ulong)-(1L << (vaMin - 1)));
        ulong kernelBase = unchecked((ulong)-(1L << va));
        if (swapper.Value < kernelBase)
            throw Bad(noteOffset, "SYMBOL(swapper_pg_dir)", swapper.Value,
                $"is below the kernel VA space of VA_BITS {va} (0x{kernelBase:x})");
        bool flipped = swapper.Value >= upperHalf;
        ulong pageOffset, pageEnd;
        if (flipped)
        {
            // 5.4–5.10 put the linear map at the VA size the hardware runs; 5.11 fixed PAGE_OFFSET at
            // VA_BITS and moved memstart_addr instead, which PHYS_OFFSET already carries.
            int bits = actual < va && KernelBefore(vi.OsRelease, 5, 11) ? actual : va;
            pageOffset = unchecked((ulong)-(1L << bits));
            pageEnd = upperHalf;
        }
        else
        {
            pageOffset = unchecked((ulong)-(1L << (va - 1)));
            pageEnd = 0;
        }
        ulong stext = vi.Symbol("_stext") is ulong s && s < swapper.Value && s >= kernelBase ? s : swapper.Value;
        return new Arm64KernelLayout
        {
            VaBits = va,
            VaBitsActual = actual,
            PageSize = pageSize,
            PageOffset = pageOffset,
            PageEnd = pageEnd,
            PhysOffset = unchecked((ulong)physOffset!.Value),
            KimageVoffset = unchecked((ulong)voffset!.Value),
            SwapperPgDir = swapper.Value,
            Pa52 = vi.Number("MAX_PHYSMEM_BITS") == 52,
            ImageStart = stext,
            ImageEnd = swapper.Value + (ulong)pageSize,
            FlippedVa = flipped,
        };
    }

    /// <summary>Whether OSRELEASE names a kernel before major.minor; an unreadable one counts as newer.</summary>
    private static bool KernelBefore(string? release, int major, int minor)
    {
        if (release is null) return false;
        var parts = release.Split('.', 3);
        if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int ma)) return false;
        string mi = new(parts[1].TakeWhile(char.IsAsciiDigit).ToArray());
        if (!int.TryParse(mi, NumberStyles.None, CultureInfo.InvariantCulture, out int mn)) return false;
        return ma < major || (ma == major && mn < minor);
    }

    // Sizes and bit counts read best in decimal, as VMCOREINFO writes them.
    private static DumpFormatException Bad(long offset, string key, long value, string problem) =>
        new(null, offset, key, value.ToString(CultureInfo.InvariantCulture), problem);

    private static DumpFormatException Bad(long offset, string key, ulong value, string problem) =>
        DumpFormatException.Field(offset, key, value, problem);
}
