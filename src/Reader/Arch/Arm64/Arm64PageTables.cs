using System.Buffers.Binary;
using HvDumpKit.Reader.Kernel;

namespace HvDumpKit.Reader.Arch.Arm64;

/// <summary>
/// The arm64 kernel's stage-1 tables (TTBR1), walked from swapper_pg_dir as the MMU walks them
/// (ARMv8 VMSA): a 4, 16 or 64 KiB granule resolves PAGE_SHIFT − 3 bits per level, and a kernel
/// of VA_BITS uses (VA_BITS − 4) / (PAGE_SHIFT − 3) levels (arch/arm64's ARM64_HW_PGTABLE_LEVELS),
/// the top one indexing what is left. A descriptor's bit 0 is valid; above the last level bit 1
/// set is a table and clear a block, allowed only where the architecture has blocks (4 KiB:
/// levels 1–2, 16 KiB and 64 KiB: level 2, and one level higher with 52-bit output addresses);
/// at the last level bits 1:0 must be 0b11 (a page). The contiguous hint (bit 52) changes nothing
/// for a reader. Output addresses are bits 47:PAGE_SHIFT, with 52-bit physical addresses also
/// bits 15:12 as OA[51:48] (64 KiB, FEAT_LPA) or bits 9:8 as OA[51:50] (4/16 KiB, FEAT_LPA2).
/// Entries are little-endian: the kernel runs little-endian on every arm64 distribution and
/// its dumps say so in e_ident.
/// </summary>
public sealed class Arm64PageTables
{
    private readonly PhysicalMemory _mem;
    private readonly ulong _root;
    private readonly int _pageShift, _levels, _topBits;
    private readonly bool _pa52;
    // The last leaf found: struct pages and vmalloc'd data are read in order, so most walks repeat it.
    private ulong _leafVa = 1, _leafPa, _leafSize;

    /// <summary>
    /// vaBits: the bits the walk resolves (the kernel's VA_BITS, or what the hardware runs when the
    /// top level is folded).
    /// </summary>
    public Arm64PageTables(PhysicalMemory mem, ulong rootPhys, int pageSize, int vaBits, bool pa52)
    {
        _mem = mem;
        _root = rootPhys;
        _pageShift = System.Numerics.BitOperations.Log2((uint)pageSize);
        _levels = Levels(pageSize, vaBits);
        _topBits = vaBits - (_pageShift + (_pageShift - 3) * (_levels - 1));
        _pa52 = pa52;
    }

    public int LevelCount => _levels;

    /// <summary>The kernel's CONFIG_PGTABLE_LEVELS for a granule and VA size.</summary>
    public static int Levels(int pageSize, int vaBits)
    {
        int shift = System.Numerics.BitOperations.Log2((uint)pageSize);
        return (vaBits - 4) / (shift - 3);
    }

    /// <summary>
    /// The physical address of va and the bytes left in its page or block, or null when unmapped or
    /// a table is not in the dump; tablesRead gets the physical address of every descriptor read.
    /// Throws DumpFormatException when a table descriptor leads back to a table this walk has read.
    /// </summary>
    public (ulong Pa, ulong Left)? Walk(ulong va, List<ulong>? tablesRead = null)
    {
        if (tablesRead is null && _leafSize != 0 && va - _leafVa < _leafSize)
            return (_leafPa + (va - _leafVa), _leafSize - (va - _leafVa));
        int bitsPerLevel = _pageShift - 3;
        ulong table = _root;
        Span<ulong> seen = stackalloc ulong[_levels];
        for (int i = 0; i < _levels; i++)
        {
            int shift = _pageShift + bitsPerLevel * (_levels - 1 - i);
            int bits = i == 0 ? _topBits : bitsPerLevel;
            seen[i] = table;
            ulong at = table + ((va >> shift) & ((1UL << bits) - 1)) * 8;
            tablesRead?.Add(at);
            if (Entry(at) is not ulong d || (d & 1) == 0) return null;
            bool last = i == _levels - 1;
            int armLevel = 4 - _levels + i; // the architecture numbers the last level 3
            if (last ? (d & 2) == 0 : (d & 2) == 0 && !BlockAllowed(armLevel)) return null;
            if (last || (d & 2) == 0)
            {
                ulong size = 1UL << shift;
                ulong basePa = OutputAddress(d) & ~(size - 1), baseVa = va & ~(size - 1);
                if (tablesRead is null) (_leafVa, _leafPa, _leafSize) = (baseVa, basePa, size);
                return (basePa + (va - baseVa), size - (va - baseVa));
            }
            table = OutputAddress(d);
            if (seen[..(i + 1)].Contains(table))
                throw new DumpFormatException(null, 0, $"swapper_pg_dir level {armLevel} descriptor at physical 0x{at:x}",
                    $"0x{d:x}", $"points back to the table at 0x{table:x} that this walk of 0x{va:x} already read: the page tables loop")
                { Pfn = at >> _pageShift };
        }
        return null;
    }

    private bool BlockAllowed(int armLevel) => _pageShift switch
    {
        12 => armLevel is 1 or 2 || (_pa52 && armLevel == 0),
        _ => armLevel == 2 || (_pa52 && armLevel == 1),
    };

    private ulong OutputAddress(ulong d)
    {
        ulong pageMask = ~((1UL << _pageShift) - 1);
        if (!_pa52) return d & 0x0000_ffff_ffff_ffffUL & pageMask;
        if (_pageShift == 16) return (d & 0x0000_ffff_ffff_0000UL) | ((d >> 12) & 0xf) << 48;
        return (d & 0x0003_ffff_ffff_ffffUL & pageMask) | ((d >> 8) & 0x3) << 50;
    }

    private ulong? Entry(ulong pa)
    {
        Span<byte> b = stackalloc byte[8];
        return _mem.TryRead(pa, b) ? BinaryPrimitives.ReadUInt64LittleEndian(b) : null;
    }
}
