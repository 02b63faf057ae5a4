#!/usr/bin/python3
"""Compare every page two dumps hold, read through libkdumpfile (independent of HvDumpKit).
usage: check_pages_libkdumpfile.py SOURCE OUTPUT MAX_PFN
Prints 'same=N missing=N differ=N'; exit 0 when nothing differs and nothing is missing."""
import sys
import kdumpfile

def open_dump(path):
    k = kdumpfile.kdumpfile(path)
    if k.attr.get('arch.name') is None:
        k.attr['arch.name'] = 'x86_64'
    k.attr['addrxlat.ostype'] = 'linux'
    return k

src, out, max_pfn = sys.argv[1], sys.argv[2], int(sys.argv[3])
a, b = open_dump(src), open_dump(out)
page = 4096
same = missing = differ = 0
first = None
for pfn in range(max_pfn):
    try:
        x = a.read(kdumpfile.KDUMP_KPHYSADDR, pfn * page, page)
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
print(f"same={same} missing={missing} differ={differ} release={b.attr.get('linux.uts.release', '?')} first={first}")
sys.exit(0 if missing == 0 and differ == 0 and same > 0 else 1)
