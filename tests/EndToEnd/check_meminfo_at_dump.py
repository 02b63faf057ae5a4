#!/usr/bin/env python3
"""The kernel's own page counters at the moment of an x86_64 ELF vmcore, read without HvDumpKit.

  check_meminfo_at_dump.py VMCORE.elf VMLINUX

/proc/meminfo printed by the guest before the dump can lag the dump: from Linux 6.7 the per-CPU page
lists are shrunk by the vmstat worker, which returns pages to the buddy allocator after the guest has
printed MemFree. This reads vm_zone_stat[] and vm_node_stat[] out of the dump itself: the symbols' link
addresses and the enum indexes come from VMLINUX (drgn, no core attached), the relocation from the dump's
VMCOREINFO (KERNELOFFSET, NUMBER(phys_base)), the bytes from the ELF PT_LOADs by physical address.
The global counters lag by each CPU's not yet folded delta (vm_stat_diff, vm_node_stat_diff, up to the
stat threshold per CPU), so those are added, read through the kernel's page tables (init_top_pgt).
Prints JSON: {"MemFree": kB, ...} in meminfo's own words where they map one to one.
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

def u64(pa): return struct.unpack('<Q', rd(pa, 8))[0]
pgd = int(vi['SYMBOL(init_top_pgt)'], 16) - 0xffffffff80000000 + phys_base
def v2p(va):
    # 4-level x86_64 walk with 1 GiB and 2 MiB pages.
    e = pgd
    for shift in (39, 30, 21, 12):
        ent = u64((e & 0x000ffffffffff000) + ((va >> shift) & 511) * 8)
        if not ent & 1: raise SystemExit(f'0x{va:x} not mapped')
        if shift in (30, 21) and ent & 0x80:
            return (ent & 0x000ffffffffff000 & ~((1 << shift) - 1)) + (va & ((1 << shift) - 1))
        e = ent
    return (e & 0x000ffffffffff000) + (va & 4095)
def image(sym): return p.symbol(sym).address + koff - 0xffffffff80000000 + phys_base
def s8s(va, n): return struct.unpack(f"<{n}b", rd(v2p(va & 0xffffffffffffffff), n))  # percpu: pointer + offset wraps

zone, node = counters('vm_zone_stat', 'enum zone_stat_item'), counters('vm_node_stat', 'enum node_stat_item')
ncpu = struct.unpack('<I', rd(image('nr_cpu_ids'), 4))[0]
offsets = [u64(image('__per_cpu_offset') + 8 * c) for c in range(ncpu)]
zitems = {n: v for n, v in p.type('enum zone_stat_item').enumerators}
nitems = {n: v for n, v in p.type('enum node_stat_item').enumerators}
pg_t, zone_t = p.type('struct pglist_data'), p.type('struct zone')
nodes = int(vi.get('LENGTH(node_data)', '1'))
for nid in range(nodes):
    pgdat = u64(image('node_data') + 8 * nid)
    if pgdat == 0: continue
    pcn = u64(v2p(pgdat + drgn.offsetof(pg_t, 'per_cpu_nodestats')))
    diff_at = drgn.offsetof(p.type('struct per_cpu_nodestat'), 'vm_node_stat_diff')
    for off in offsets:
        d = s8s(pcn + off + diff_at, len(nitems) - 1)
        for name, i in nitems.items():
            if i < len(d) and name in node: node[name] += d[i]
    nz = struct.unpack('<i', rd(v2p(pgdat + drgn.offsetof(pg_t, 'nr_zones')), 4))[0]
    for zi in range(nz):
        z = pgdat + drgn.offsetof(pg_t, 'node_zones') + zi * drgn.sizeof(zone_t)
        pcz = u64(v2p(z + drgn.offsetof(zone_t, 'per_cpu_zonestats')))
        if pcz == 0: continue
        zdiff_at = drgn.offsetof(p.type('struct per_cpu_zonestat'), 'vm_stat_diff')
        for off in offsets:
            d = s8s(pcz + off + zdiff_at, len(zitems) - 1)
            for name, i in zitems.items():
                if i < len(d) and name in zone: zone[name] += d[i]
kb = lambda pages: pages * 4
out = {
    'MemFree': kb(zone['NR_FREE_PAGES']),
    # meminfo: Cached = NR_FILE_PAGES - swap cache - Buffers; Cached + Buffers is what the cache classes cover.
    'CachedPlusBuffers': kb(node['NR_FILE_PAGES'] - node.get('NR_SWAPCACHE', 0)),
    'AnonPages': kb(node['NR_ANON_MAPPED']),
    'Slab': (node['NR_SLAB_RECLAIMABLE_B'] + node['NR_SLAB_UNRECLAIMABLE_B']) * 4,
}
print(json.dumps(out))
