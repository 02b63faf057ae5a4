#!/usr/bin/env python3
"""A raw physical-memory image against the ELF vmcore it was made from, read without HvDumpKit.

  check_raw_image.py SOURCE.elf IMAGE PAGE_SIZE

A raw image holds physical address A at file offset A (holes where the dump has nothing). Every page
wholly inside one of SOURCE's PT_LOADs (read here from its ELF64 little-endian program headers) must read
the same from IMAGE. Prints 'source=N same=N differ=N'; exit 0 when nothing differs and N > 0.
"""
import struct, sys

src, image, page = sys.argv[1], sys.argv[2], int(sys.argv[3])
same = differ = 0
first = None
with open(src, 'rb') as s, open(image, 'rb') as r:
    h = s.read(64)
    assert h[:4] == b'\x7fELF' and h[4] == 2 and h[5] == 1, 'SOURCE must be an ELF64 little-endian file'
    phoff, = struct.unpack_from('<Q', h, 32)
    phentsize, phnum = struct.unpack_from('<HH', h, 54)
    s.seek(phoff)
    ph = s.read(phentsize * phnum)
    for i in range(phnum):
        typ, _, off, _, pa, fsz = struct.unpack_from('<IIQQQQ', ph, i * phentsize)
        if typ != 1:
            continue
        for pfn in range((pa + page - 1) // page, (pa + fsz) // page):
            s.seek(off + pfn * page - pa)
            r.seek(pfn * page)
            if s.read(page) == r.read(page):
                same += 1
            else:
                differ += 1
                first = first or f'pfn 0x{pfn:x} differs'
print(f'source={same + differ} same={same} differ={differ} first={first}')
sys.exit(0 if differ == 0 and same > 0 else 1)
