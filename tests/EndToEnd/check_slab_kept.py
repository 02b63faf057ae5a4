#!/usr/bin/env python3
"""Slab pages of an x86_64 ELF vmcore against a filtered kdump file, read without HvDumpKit.

  check_slab_kept.py VMCORE.elf OUT.kdump KDUMPPFNS.py

Walks the struct pages through the kernel's own page tables (SYMBOL(init_top_pgt), SYMBOL(vmemmap),
NUMBER(phys_base) from VMCOREINFO), finds slab heads (page type NUMBER(PAGE_SLAB_MAPCOUNT_VALUE) in the
_mapcount word, or flag NUMBER(PG_slab) before 6.10) and their tails (bit 0 of the
OFFSET(page.compound_info|compound_head) word; the head is tail_va & word under Linux 7.x's mask
encoding, word - 1 under the pointer encoding), and checks that every slab page is in OUT.kdump unless
it is all zeros (dump level bit 1). Prints one JSON line; exit 1 on a slab page dropped with data in it,
or on a tail whose word names no head page.
"""
import importlib.util, json, struct, sys

core, kdump, kdumppfns = sys.argv[1:4]
spec = importlib.util.spec_from_file_location('kdumppfns', kdumppfns)
kp = importlib.util.module_from_spec(spec); spec.loader.exec_module(kp)

f = open(core, 'rb')
h = f.read(64)
phoff, phnum = struct.unpack_from('<Q', h, 32)[0], struct.unpack_from('<H', h, 56)[0]
f.seek(phoff); ph = f.read(56 * phnum)
loads = [struct.unpack_from('<IIQQQQQQ', ph, 56 * i) for i in range(phnum)]
notes = b''.join((f.seek(l[2]), f.read(l[5]))[1] for l in loads if l[0] == 4)
at = notes.find(b'OSRELEASE=')
vi = {}
for line in notes[at:notes.find(b'\0', at)].decode(errors='replace').splitlines():
    k, _, v = line.partition('=')
    vi[k] = v

def rd(pa, n):
    for t, _, off, _, ppa, fsz, _, _ in loads:
        if t == 1 and ppa <= pa and pa + n <= ppa + fsz:
            f.seek(off + pa - ppa); return f.read(n)
    return None

def u64(pa):
    b = rd(pa, 8)
    return None if b is None else struct.unpack('<Q', b)[0]

phys_base = int(vi['NUMBER(phys_base)'])
pgd = int(vi['SYMBOL(init_top_pgt)'], 16) - 0xffffffff80000000 + phys_base

def v2p(va):
    """4-level x86_64 walk with 1 GiB and 2 MiB pages."""
    e = pgd
    for shift in (39, 30, 21, 12):
        ent = u64((e & 0x000ffffffffff000) + ((va >> shift) & 511) * 8)
        if ent is None or not ent & 1: return None
        if shift in (30, 21) and ent & 0x80:
            return (ent & 0x000ffffffffff000 & ~((1 << shift) - 1)) + (va & ((1 << shift) - 1))
        e = ent
    return (e & 0x000ffffffffff000) + (va & 4095)

size = int(vi['SIZE(page)'])
o_flags, o_map = int(vi['OFFSET(page.flags)']), int(vi['OFFSET(page._mapcount)'])
key = 'OFFSET(page.compound_info)' if 'OFFSET(page.compound_info)' in vi else 'OFFSET(page.compound_head)'
o_tail = int(vi[key])
# 6.10+ mark slabs with a page type; older kernels with the PG_slab flag.
slab_type = int(vi['NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)']) & 0xffffffff if 'NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)' in vi else None
pg_slab = int(vi['NUMBER(PG_slab)']) if slab_type is None else None
head_mask = int(vi['NUMBER(PG_head_mask)'])
if 'SYMBOL(vmemmap)' in vi:
    vmemmap = int(vi['SYMBOL(vmemmap)'], 16)
else:
    # Older kernels do not export it: section 0's mem_map (SPARSEMEM_EXTREME root 0, flag bits cleared) is
    # the vmemmap base, since section 0 starts at PFN 0.
    root0 = u64(v2p(int(vi['SYMBOL(mem_section)'], 16)))
    vmemmap = u64(v2p(root0 + int(vi['OFFSET(mem_section.section_mem_map)']))) & ~0x3f
maxpfn = max(l[4] + l[5] for l in loads if l[0] == 1) // 4096

cache = {}
def struct_page(pfn):
    va = vmemmap + pfn * size
    base = va & ~4095
    if base not in cache:
        pa = v2p(base)
        cache[base] = rd(pa, 4096) if pa is not None else None
    b = cache[base]
    return None if b is None else b[va - base:va - base + size]

heads, tails, bad, enc = set(), {}, 0, {'mask': 0, 'pointer': 0}
for pfn in range(maxpfn):
    sp = struct_page(pfn)
    if sp is None: continue
    word = struct.unpack_from('<Q', sp, o_tail)[0]
    if word & 1:
        va = vmemmap + pfn * size
        m = word & ~1
        is_mask = (~m & 0xffffffffffffffff) & ((~m & 0xffffffffffffffff) + 1) == 0  # GENMASK(63, s) form
        head_va = (va & word) if is_mask else word - 1
        enc['mask' if is_mask else 'pointer'] += 1
        hp = (head_va - vmemmap) // size if head_va >= vmemmap and (head_va - vmemmap) % size == 0 else None
        hs = struct_page(hp) if hp is not None and hp < pfn else None
        if hs is None or not struct.unpack_from('<Q', hs, o_flags)[0] & head_mask: bad += 1
        else: tails[pfn] = hp
    elif (struct.unpack_from('<I', sp, o_map)[0] == slab_type if slab_type is not None
          else struct.unpack_from('<Q', sp, o_flags)[0] >> pg_slab & 1):
        heads.add(pfn)

slab = heads | {p for p, hp in tails.items() if hp in heads}
_, _, bm2 = kp.read(kdump)
dumped = kp.pfnset(bm2, maxpfn)
zero_page = bytes(4096)
dropped = [p for p in sorted(slab) if p not in dumped]
dropped_data = [p for p in dropped if rd(p * 4096, 4096) not in (None, zero_page)]
print(json.dumps(dict(key=key, slab_heads=len(heads), slab_pages=len(slab), tails=len(tails), tail_encoding=enc,
                      tails_without_head=bad, slab_dropped_zero=len(dropped) - len(dropped_data),
                      slab_dropped_with_data=len(dropped_data))))
sys.exit(1 if dropped_data or bad else 0)
