#!/usr/bin/env python3
"""arm64-kexec-elf.py DIR - writes DIR/vmcore.kexec.elf: DIR/vmcore.fixed.elf (an arm64 fixture of
scripts/make-arm64-fixture.sh) with the program headers the kernel's /proc/vmcore would have, for
readers that need virtual addresses in the PT_LOADs (drgn 0.0.22 reads swapper_pg_dir through
them and fails on QEMU's physical-only PT_LOADs with "recursive address translation"):
  PT_LOAD kernel image: vaddr _text..._end moved by KERNELOFFSET, paddr = vaddr - kimage_voffset
  PT_LOAD each RAM range in the linear map: vaddr = PAGE_OFFSET + (paddr - PHYS_OFFSET)
The data bytes are the same; only the program header table changes (it has room: QEMU wrote two
section headers that qemu-elf-fix.py dropped, and this adds one PT_LOAD). Values from
DIR/vmcoreinfo.txt and the link-time addresses in DIR/System.map.
"""
import shutil, struct, sys
d = sys.argv[1]
vi = dict(l.split('=', 1) for l in open(d + '/vmcoreinfo.txt').read().splitlines() if '=' in l)
koff = int(vi['KERNELOFFSET'], 16)
kvoff = int(vi['NUMBER(kimage_voffset)'], 16)
phys_offset = int(vi['NUMBER(PHYS_OFFSET)'], 16)
page_offset = (1 << 64) - (1 << int(vi['NUMBER(VA_BITS)']))
sym = {}
for l in open(d + '/System.map'):
    f = l.split()
    if len(f) == 3 and f[2] in ('_text', '_end'): sym[f[2]] = int(f[0], 16)
text, end = sym['_text'] + koff, sym['_end'] + koff
src = open(d + '/vmcore.fixed.elf', 'rb'); eh = src.read(64)
phoff, = struct.unpack('<Q', eh[32:40]); phnum, = struct.unpack('<H', eh[56:58])
assert phoff == 64, 'run qemu-elf-fix.py first'
src.seek(phoff)
ph = [struct.unpack('<IIQQQQQQ', src.read(56)) for _ in range(phnum)]
notes = [p for p in ph if p[0] == 4]
loads = [p for p in ph if p[0] == 1]
first_data = min(p[2] for p in ph if p[5])
ktext_pa = text - kvoff
new = list(notes)
for t, fl, off, va, pa, fs, ms, al in loads:
    if pa <= ktext_pa and ktext_pa + (end - text) <= pa + fs:
        new.append((1, 7, off + (ktext_pa - pa), text, ktext_pa, end - text, end - text, 0))
assert len(new) == len(notes) + 1, 'kernel image not inside one PT_LOAD'
for t, fl, off, va, pa, fs, ms, al in loads:
    new.append((1, 7, off, page_offset + (pa - phys_offset), pa, fs, ms, 0))
assert 64 + 56 * len(new) <= first_data, 'no room for the program headers'
out = d + '/vmcore.kexec.elf'
shutil.copyfile(d + '/vmcore.fixed.elf', out)
with open(out, 'r+b') as o:
    o.seek(56); o.write(struct.pack('<H', len(new)))
    o.seek(64)
    for p in new: o.write(struct.pack('<IIQQQQQQ', *p))
print('vmcore.kexec.elf: kernel image 0x%x-0x%x at paddr 0x%x, %d linear-map PT_LOAD' % (text, end, ktext_pa, len(loads)))
