#!/usr/bin/env python3
"""The kernel's own page counters at the moment of an x86_64 ELF vmcore, read without HvDumpKit.

  check_meminfo_at_dump.py VMCORE.elf VMLINUX

/proc/meminfo printed by the guest before the dump can lag the dump: from Linux 6.7 the per-CPU page
lists are shrunk by the vmstat worker, which returns pages to the buddy allocator after the guest has
printed MemFree. This reads vm_zone_stat[] and vm_node_stat[] out of the dump itself: the symbols' link
addresses and the enum indexes come from VMLINUX (drgn, no core attached), the relocation from the dump's
VMCOREINFO (KERNELOFFSET, NUMBER(phys_base)), the bytes from the ELF PT_LOADs by physical address.
Prints JSON: {"MemFree": kB, "Cached": kB, ...} in meminfo's own words where they map one to one.
"""
import json, struct, sys
import drgn

core, vmlinux = sys.argv[1:3]
f = open(core, 'rb')
h = f.read(64)
phoff, phnum = struct.unpack_from('<Q', h, 32)[0], struct.unpack_from('<H', h, 56)[0]
f.seek(phoff); ph = f.read(56 * phnum)
loads = [struct.unpack_from('<IIQQQQQQ', ph, 56 * i) for i in range(phnum)]
notes = b''.join((f.seek(l[2]), f.read(l[5]))[1] for l in loads if l[0] == 4)
at = notes.find(b'OSRELEASE=')
vi = dict(l.partition('=')[::2] for l in notes[at:notes.find(b'\0', at)].decode(errors='replace').splitlines())
koff, phys_base = int(vi.get('KERNELOFFSET', '0'), 16), int(vi['NUMBER(phys_base)'])

def rd(pa, n):
    for t, _, off, _, ppa, fsz, _, _ in loads:
        if t == 1 and ppa <= pa and pa + n <= ppa + fsz:
            f.seek(off + pa - ppa); return f.read(n)
    raise SystemExit(f'physical 0x{pa:x} not in the dump')

p = drgn.Program()
p.load_debug_info([vmlinux])

def counters(sym, enum):
    items = {name: value for name, value in p.type(enum).enumerators}
    n = max(items.values()) + 1
    va = p.symbol(sym).address + koff  # kernel image: pa = va - __START_KERNEL_map + phys_base
    vals = struct.unpack(f'<{n}q', rd(va - 0xffffffff80000000 + phys_base, 8 * n))
    return {name: vals[i] for name, i in items.items() if i < n}

zone, node = counters('vm_zone_stat', 'enum zone_stat_item'), counters('vm_node_stat', 'enum node_stat_item')
kb = lambda pages: pages * 4
out = {
    'MemFree': kb(zone['NR_FREE_PAGES']),
    # meminfo: Cached = NR_FILE_PAGES - swap cache - Buffers; Cached + Buffers is what the cache classes cover.
    'CachedPlusBuffers': kb(node['NR_FILE_PAGES'] - node.get('NR_SWAPCACHE', 0)),
    'AnonPages': kb(node['NR_ANON_MAPPED']),
    'Slab': (node['NR_SLAB_RECLAIMABLE_B'] + node['NR_SLAB_UNRECLAIMABLE_B']) * 4,
}
print(json.dumps(out))
