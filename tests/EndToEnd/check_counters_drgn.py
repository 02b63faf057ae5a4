#!/usr/bin/env python3
"""The kernel's own page counters at the moment of a vmcore, read by drgn (no HvDumpKit).

  check_counters_drgn.py VMCORE VMLINUX

For a machine whose page tables check_meminfo_at_dump.py does not walk itself (arm64): drgn translates
through the dump's own kernel-image mapping and tables, so VMCORE must carry them (/proc/vmcore's
layout, e.g. an arm64 fixture's vmcore.kexec.elf). The global vm_zone_stat[] / vm_node_stat[] counters
lag by each CPU's not yet folded delta (vm_stat_diff, vm_node_stat_diff), so those are added.
Prints JSON, in pages of the dumped kernel: NR_FREE_PAGES, NR_FILE_PAGES less NR_SWAPCACHE
("CachedPlusBuffers", what meminfo's Cached + Buffers count) and NR_ANON_MAPPED.
"""
import json, sys
import drgn
from drgn.helpers.linux.cpumask import for_each_possible_cpu
from drgn.helpers.linux.percpu import per_cpu_ptr

core, vmlinux = sys.argv[1:3]
p = drgn.program_from_core_dump(core)
p.load_debug_info([vmlinux])
zitem = {n: v for n, v in p.type('enum zone_stat_item').enumerators}
nitem = {n: v for n, v in p.type('enum node_stat_item').enumerators}
zone = {n: p['vm_zone_stat'][i].counter.value_() for n, i in zitem.items() if i < len(p['vm_zone_stat'])}
node = {n: p['vm_node_stat'][i].counter.value_() for n, i in nitem.items() if i < len(p['vm_node_stat'])}
cpus = list(for_each_possible_cpu(p))
node_data = p['node_data']
for nid in range(len(node_data)):
    pgdat = node_data[nid]
    if not pgdat: continue
    for cpu in cpus:
        d = per_cpu_ptr(pgdat.per_cpu_nodestats, cpu).vm_node_stat_diff
        for n in node: node[n] += d[nitem[n]].value_()
    for zi in range(pgdat.nr_zones.value_()):
        z = pgdat.node_zones[zi]
        if not z.per_cpu_zonestats: continue
        for cpu in cpus:
            d = per_cpu_ptr(z.per_cpu_zonestats, cpu).vm_stat_diff
            for n in zone: zone[n] += d[zitem[n]].value_()
print(json.dumps({
    'NR_FREE_PAGES': zone['NR_FREE_PAGES'],
    'CachedPlusBuffers': node['NR_FILE_PAGES'] - node.get('NR_SWAPCACHE', 0),
    'NR_ANON_MAPPED': node['NR_ANON_MAPPED'],
}))
