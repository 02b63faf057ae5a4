using HvDumpKit.Reader.Kernel;

namespace HvDumpKit.Reader.Arch.Ppc64;

/// <summary>
/// The ppc64 radix MMU's kernel page tables, walked from swapper_pg_dir as makedumpfile's
/// ppc64_vtop_level4 does (Linux ≥ 4.11 entry layout). Since 6.6 a radix kernel maps the vmemmap
/// in these tables and no longer records it in vmemmap_list, so the list is empty and struct
/// pages translate only this way. Four levels: PGD 13 bits, PUD 9, PMD 9, PTE 5 (64 KiB pages)
/// or 9 (4 KiB). Entries are big-endian whatever the kernel's byte order; a directory entry holds
/// the next table's physical address under the mask 0xc0000000000000ff (valid, leaf and
/// next-level-size bits); an entry with _PAGE_PTE (bit 62) is a leaf — a 1 GiB or 2 MiB mapping
/// above the last level; a PTE needs _PAGE_PRESENT (bit 63). The real page number is bits 16–52
/// (64 KiB) or 12–52 (4 KiB).
/// </summary>
public sealed class Ppc64RadixTables
{
    private const ulong PagePresent = 1UL << 63, PagePte = 1UL << 62, DirectoryMaskedBits = 0xc0000000000000ffUL;
    private const int PgdBits = 13, PudBits = 9, PmdBits = 9;

    private readonly PhysicalMemory _mem;
    private readonly ulong _pgd;
    private readonly int _pageShift, _pteBits;
    private readonly ulong _rpnMask;
    // The last leaf found: struct pages are read in order, so most walks repeat it.
    private ulong _leafVa = 1, _leafPa, _leafSize;

    public Ppc64RadixTables(PhysicalMemory mem, ulong pgdPhys, int pageSize)
    {
        _mem = mem;
        _pgd = pgdPhys;
        _pageShift = pageSize == 65536 ? 16 : 12;
        _pteBits = pageSize == 65536 ? 5 : 9;
        _rpnMask = ((1UL << 53) - 1) & ~((1UL << _pageShift) - 1);
    }

    /// <summary>
    /// The physical address of va and the bytes left in its mapping, or null when unmapped or a
    /// table is not in the dump; tablesRead gets the physical address of every entry read.
    /// </summary>
    public (ulong Pa, ulong Left)? Walk(ulong va, List<ulong>? tablesRead = null)
    {
        if (tablesRead is null && _leafSize != 0 && va - _leafVa < _leafSize)
            return (_leafPa + (va - _leafVa), _leafSize - (va - _leafVa));
        int pmdShift = _pageShift + _pteBits, pudShift = pmdShift + PmdBits, pgdShift = pudShift + PudBits;
        ulong table = _pgd;
        (int Shift, int Bits)[] levels = [(pgdShift, PgdBits), (pudShift, PudBits), (pmdShift, PmdBits), (_pageShift, _pteBits)];
        for (int level = 0; level < levels.Length; level++)
        {
            var (shift, bits) = levels[level];
            ulong at = table + ((va >> shift) & ((1UL << bits) - 1)) * 8;
            tablesRead?.Add(at);
            if (Entry(at) is not ulong e || e == 0) return null;
            bool last = level == levels.Length - 1;
            if (last || (e & PagePte) != 0)
            {
                if (last && (e & PagePresent) == 0) return null;
                ulong size = 1UL << shift;
                ulong basePa = e & _rpnMask & ~(size - 1), baseVa = va & ~(size - 1);
                (_leafVa, _leafPa, _leafSize) = (baseVa, basePa, size);
                return (basePa + (va - baseVa), size - (va - baseVa));
            }
            table = e & ~DirectoryMaskedBits;
        }
        return null;
    }

    private ulong? Entry(ulong pa)
    {
        Span<byte> b = stackalloc byte[8];
        return _mem.TryRead(pa, b) ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b) : null;
    }
}
