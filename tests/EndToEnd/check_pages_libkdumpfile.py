#!/usr/bin/python3
"""Compare every page two dumps hold, read through libkdumpfile (independent of HvDumpKit).
usage: check_pages_libkdumpfile.py SOURCE OUTPUT MAX_PFN [PAGE_SIZE [ARCH [REFERENCE]]]
(REFERENCE: only pages that this file, another tool's output of SOURCE, holds are expected in OUTPUT;
 the word "ptload" instead: only pages wholly inside SOURCE's PT_LOADs, read from its ELF program headers
 here — libkdumpfile reads a page just outside a PT_LOAD of an ELF as zeros, a page no dump holds)
(PAGE_SIZE 4096 and ARCH x86_64 by default; ARCH is set only where libkdumpfile cannot tell it)
Prints 'source=N same=N missing=N differ=N' (source: pages read from SOURCE); exit 0 when nothing differs and nothing is missing."""
import struct, sys
import kdumpfile

page = int(sys.argv[4]) if len(sys.argv) > 4 else 4096
arch = sys.argv[5] if len(sys.argv) > 5 else 'x86_64'

def open_dump(path):
    k = kdumpfile.kdumpfile(path)
    if k.attr.get('arch.name') is None:
        k.attr['arch.name'] = arch
    k.attr['addrxlat.ostype'] = 'linux'
    return k

src, out, max_pfn = sys.argv[1], sys.argv[2], int(sys.argv[3])
a, b = open_dump(src), open_dump(out)
ref = open_dump(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[6] != 'ptload' else None
inside = None
if len(sys.argv) > 6 and sys.argv[6] == 'ptload':
    with open(src, 'rb') as f:
        h = f.read(64)
        assert h[:4] == b'\x7fELF' and h[4] == 2 and h[5] == 1, 'ptload: SOURCE must be an ELF64 little-endian file'
        phoff, = struct.unpack_from('<Q', h, 32); phentsize, phnum = struct.unpack_from('<HH', h, 54)
        f.seek(phoff); ph = f.read(phentsize * phnum)
    inside = []
    for i in range(phnum):
        typ, _, _, _, pa, fsz = struct.unpack_from('<IIQQQQ', ph, i * phentsize)
        if typ == 1: inside.append(((pa + page - 1) // page, (pa + fsz) // page))
same = missing = differ = 0
first = None
for pfn in range(max_pfn):
    if inside is not None and not any(a0 <= pfn < a1 for a0, a1 in inside):
        continue
    try:
        x = a.read(kdumpfile.KDUMP_KPHYSADDR, pfn * page, page)
        if ref is not None:
            ref.read(kdumpfile.KDUMP_KPHYSADDR, pfn * page, page)
    except Exception:
        continue
    try:
        y = b.read(kdumpfile.KDUMP_KPHYSADDR, pfn * page, page)
    except Exception as e:
        missing += 1
        first = first or f"pfn {pfn}: {e}"
        continue
    if x == y:
        same += 1
    else:
        differ += 1
        first = first or f"pfn {pfn} differs"
order = {0: 'big', 1: 'little'}.get(b.attr.get('arch.byte_order'))
print(f"source={same + missing + differ} same={same} missing={missing} differ={differ} release={b.attr.get('linux.uts.release', '?')} arch={b.attr.get('arch.name')} order={order} page={b.attr.get('arch.page_size')} first={first}")
sys.exit(0 if missing == 0 and differ == 0 and same > 0 else 1)
