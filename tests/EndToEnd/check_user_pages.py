#!/usr/bin/env python3
"""Pages a filtered kdump file excluded as user data, judged by drgn from the kernel's own types.

  check_user_pages.py VMCORE.elf VMLINUX ALL.kdump USER.kdump KDUMPPFNS.py

ALL.kdump is a dump level 0 conversion of VMCORE.elf (every page the dump has), USER.kdump a dump level 8
one (user process data excluded and nothing else): the PFNs dumped in the first and not in the second are
the ones filed as user data. For each, drgn reads the struct page with the kernel's DWARF (VMLINUX), so no
VMCOREINFO offset or encoding of ours is trusted: drgn's compound_head() finds the folio, which is user
data when it is anonymous (bit 0 of folio->mapping, the kernel's anon mapping mark) or mapped into a user
address space (the folio's mapcount >= 0: _mapcount, or _large_mapcount for a large folio), and never a
slab page. Slab, page-table, kernel-stack and free pages are none of these. Runs under Debian sid's python3-drgn (0.3, which knows 7.x's
page.compound_info). Prints one JSON line; exit 1 if any excluded page is not user data.
"""
import importlib.util, json, sys
import drgn
from drgn.helpers.linux.mm import compound_head, decode_page_flags, pfn_to_page, PageHead, PageSlab

core, vmlinux, all_kdump, user_kdump, kdumppfns = sys.argv[1:6]
spec = importlib.util.spec_from_file_location('kdumppfns', kdumppfns)
kp = importlib.util.module_from_spec(spec); spec.loader.exec_module(kp)

def dumped(path):
    hd, _, bm2 = kp.read(path)
    return set(kp.pfnset(bm2, hd['max_mapnr']))

excluded = sorted(dumped(all_kdump) - dumped(user_kdump))

prog = drgn.Program()
prog.set_core_dump(core)
prog.load_debug_info([vmlinux])

def member(obj, name):
    try:
        return obj.member_(name)
    except LookupError:
        return None

anon = mapped = 0
bad = []
for pfn in excluded:
    head = compound_head(pfn_to_page(prog, pfn))
    is_anon = head.mapping.value_() & 1 == 1
    # The folio's own mapcount, never a tail's: a tail's _mapcount word holds other folio fields.
    if PageHead(head):
        count = member(drgn.cast('struct folio *', head), '_large_mapcount')
    else:
        count = head._mapcount   # a typed page (slab, buddy, page table) has page_type here: negative
    is_mapped = count is not None and count.counter.value_() >= 0
    slab = bool(PageSlab(head))
    anon += is_anon
    mapped += is_mapped and not is_anon
    if slab or not (is_anon or is_mapped):
        bad.append({'pfn': pfn, 'slab': slab, 'flags': decode_page_flags(head)})

print(json.dumps({'excluded_as_user': len(excluded), 'anonymous': anon, 'mapped_not_anonymous': mapped,
                  'not_user_data': len(bad), 'first_not_user': bad[:10]}))
sys.exit(1 if bad else 0)
