#!/usr/bin/env bash
# make-ppc64-fixture.sh [-m MEM] [--hash] - a real ppc64le pseries vmcore for the POWER tests.
#
# Boots Debian's ppc64el kernel (the .deb is downloaded and unpacked, never installed) under
# qemu-system-ppc64 -machine pseries (TCG, 2 CPUs) with a busybox initramfs
# (scripts/ppc64-guest-init.sh), waits for HVDUMP-READY, and takes an ELF dump with QMP
# dump-guest-memory (../shared/realcore/qmp.py). pseries has no vmcoreinfo device: the guest
# prints the physical address and size of its VMCOREINFO note (/sys/kernel/vmcoreinfo), and the
# note is cut out of the dump's memory into vmcoreinfo.note (the ELF note as the kernel keeps it)
# and vmcoreinfo.txt (its text, the form makedumpfile -i takes), independent of hvdump's code.
#
# Writes $FIXTURES/ppc64le-<mem>/ (FIXTURES defaults to ~/.cache/hvdump-fixtures): vmcore.elf,
# vmcoreinfo.note, vmcoreinfo.txt, console.log, info.txt. Idempotent: skips when vmcore.elf exists.
set -euo pipefail
# --hash: a POWER8 CPU, whose kernel runs the hash MMU (POWER9 runs radix); the vmemmap is
# mapped differently, which the filtering must follow.
MEM=512M CPU=POWER9 SUFFIX=
while [ $# -gt 0 ]; do case "$1" in
  -m) MEM=$2; shift 2;;
  --hash) CPU=POWER8 SUFFIX=-hash; shift;;
  *) echo "usage: $0 [-m MEM] [--hash]" >&2; exit 2;;
esac; done
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=$(cd "$HERE/../../shared" 2>/dev/null && pwd || true)
FIX=${FIXTURES:-$HOME/.cache/hvdump-fixtures}
OUT="$FIX/ppc64le-$(echo "$MEM" | tr 'A-Z' 'a-z')$SUFFIX"
DEBS="${HVDUMP_CACHE:-$HOME/.cache/hvdump}/ppc64le-debs" # downloads: kept across runs, unlike the fixture
[ -s "$OUT/vmcore.elf" ] && [ -s "$OUT/vmcoreinfo.txt" ] && { echo "$OUT: present"; exit 0; }
t0=$(date +%s)
log() { echo "[$(( $(date +%s) - t0 ))s] $*"; }

# 1. Debian's ppc64el kernel and busybox-static, unpacked.
mkdir -p "$DEBS"
if ! ls "$DEBS"/linux-image-*_ppc64el.deb >/dev/null 2>&1 || ! ls "$DEBS"/busybox-static_*_ppc64el.deb >/dev/null 2>&1; then
  dpkg --print-foreign-architectures | grep -qx ppc64el || dpkg --add-architecture ppc64el
  # The security archive's ppc64el index is sometimes mid-sync; the kernel comes from main.
  apt-get update -q >/dev/null 2>&1 || true
  kpkg=$(apt-cache depends linux-image-powerpc64le:ppc64el | sed -n 's/.*Depends: \(linux-image-[^:]*\).*/\1/p' | head -n1)
  [ -n "$kpkg" ] || { echo "no linux-image-powerpc64le:ppc64el in the apt indexes" >&2; exit 1; }
  (cd "$DEBS" && apt-get download -q "$kpkg:ppc64el" busybox-static:ppc64el 2>&1 | grep -v '^W:' || true)
fi
[ -d "$DEBS/k/boot" ] || { mkdir -p "$DEBS/k" && dpkg-deb -x "$(ls "$DEBS"/linux-image-*_ppc64el.deb | head -n1)" "$DEBS/k"; }
[ -x "$DEBS/bb/bin/busybox" ] || { mkdir -p "$DEBS/bb" && dpkg-deb -x "$(ls "$DEBS"/busybox-static_*_ppc64el.deb | head -n1)" "$DEBS/bb"; }
VMLINUX=$(ls "$DEBS"/k/boot/vmlinux-* | head -n1)
log "kernel $VMLINUX"

# 2. The initramfs.
rm -rf "$OUT" && mkdir -p "$OUT"
root=$(mktemp -d); trap 'rm -rf "$root"; [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null || true' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp}
cp "$DEBS/bb/bin/busybox" "$root/bin/busybox"
for a in sh mount mkdir cat grep dd head tail sleep sed uname echo ls; do ln -s busybox "$root/bin/$a"; done
cp "$HERE/ppc64-guest-init.sh" "$root/init" && chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT/initrd.gz"

# 3. Boot, wait for the guest, dump.
sock="$OUT/qmp.sock"
qemu-system-ppc64 -machine pseries -cpu "$CPU" -smp 2 -m "$MEM" -accel tcg \
  -kernel "$VMLINUX" -initrd "$OUT/initrd.gz" -append "console=hvc0 loglevel=6" \
  -vga none -display none -monitor none -serial "file:$OUT/console.log" \
  -qmp "unix:$sock,server=on,wait=off" &
qpid=$!
for i in $(seq 1 600); do
  grep -q HVDUMP-READY "$OUT/console.log" 2>/dev/null && break
  kill -0 "$qpid" 2>/dev/null || { echo "QEMU exited; console:" >&2; tail -20 "$OUT/console.log" >&2; exit 1; }
  sleep 1
done
grep -q HVDUMP-READY "$OUT/console.log" || { echo "guest not ready after 600 s" >&2; tail -20 "$OUT/console.log" >&2; exit 1; }
log "guest ready"
python3 "$SHARED/realcore/qmp.py" "$sock" dump "$OUT" elf
python3 "$SHARED/realcore/qmp.py" "$sock" quit || true
wait "$qpid" 2>/dev/null || true; qpid=
rm -f "$sock" "$OUT/initrd.gz"
log "dumped"

# 4. The VMCOREINFO note, cut out of the dump's memory at the address the guest printed.
read -r vaddr vsize < <(tr -d '\r' < "$OUT/console.log" | awk '$1 == "HVDUMP:" && $2 == "vmcoreinfo" { print $3, $4; exit }')
python3 - "$OUT/vmcore.elf" "$vaddr" "$vsize" "$OUT" <<'PY'
import struct, sys
path, pa, size, out = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3], 16), sys.argv[4]
f = open(path, 'rb'); eh = f.read(64)
bo = '<' if eh[5] == 1 else '>'
phoff, = struct.unpack(bo + 'Q', eh[32:40]); phentsize, phnum = struct.unpack(bo + 'HH', eh[54:58])
f.seek(phoff)
for i in range(phnum):
    p = f.read(phentsize)
    typ, flags, off, va, paddr, filesz, memsz, align = struct.unpack(bo + 'IIQQQQQQ', p[:56])
    if typ == 1 and paddr <= pa and pa + size <= paddr + filesz:
        f.seek(off + pa - paddr); note = f.read(size); break
else:
    sys.exit('VMCOREINFO address 0x%x not in any PT_LOAD' % pa)
# The note is in the guest's byte order: namesz 11 ("VMCOREINFO\0") tells which.
order = '<' if struct.unpack('<I', note[:4])[0] == 11 else '>'
namesz, descsz, ntype = struct.unpack(order + 'III', note[:12])
assert note[12:12 + 10] == b'VMCOREINFO', note[:32]
desc = note[12 + ((namesz + 3) & ~3):][:descsz]
open(out + '/vmcoreinfo.note', 'wb').write(note[:12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)])
open(out + '/vmcoreinfo.txt', 'wb').write(desc.rstrip(b'\0'))
print('VMCOREINFO: %d bytes, guest byte order %s' % (descsz, 'little' if order == '<' else 'big'))
PY
# 5. vmcore.le.elf: the same memory as the kernel's /proc/vmcore would show it (little-endian
# header and notes, program headers after the ELF header, PT_LOAD vaddr in the linear map) with
# the VMCOREINFO note, for the ppc64el makedumpfile, which reads headers in its own byte order.
python3 - "$OUT/vmcore.elf" "$OUT/vmcoreinfo.note" "$OUT/vmcore.le.elf" <<'PY'
import shutil, struct, sys
src, notef, dst = sys.argv[1:4]
f = open(src, 'rb'); eh = f.read(64)
bo = '<' if eh[5] == 1 else '>'
phoff, = struct.unpack(bo + 'Q', eh[32:40]); phentsize, phnum = struct.unpack(bo + 'HH', eh[54:58])
f.seek(phoff)
loads = []
for i in range(phnum):
    typ, flags, off, va, pa, filesz, memsz, align = struct.unpack(bo + 'IIQQQQQQ', f.read(phentsize)[:56])
    if typ == 1: loads.append((off, pa, filesz, memsz))
note = open(notef, 'rb').read()
n = 1 + len(loads)
at = 64 + 56 * n
data = (at + len(note) + 65535) // 65536 * 65536
with open(dst, 'wb') as o:
    o.write(b'\x7fELF' + bytes([2, 1, 1, 0]) + bytes(8))
    o.write(struct.pack('<HHIQQQIHHHHHH', 4, 21, 1, 0, 64, 0, 0, 64, 56, n, 0, 0, 0))
    o.write(struct.pack('<IIQQQQQQ', 4, 0, at, 0, 0, len(note), len(note), 0))
    pos = data
    for off, pa, filesz, memsz in loads:
        o.write(struct.pack('<IIQQQQQQ', 1, 7, pos, 0xc000000000000000 + pa, pa, filesz, memsz, 0))
        pos += filesz
    o.write(note)
    o.seek(data)
    for off, pa, filesz, memsz in loads:
        f.seek(off); left = filesz
        while left:
            b = f.read(min(left, 1 << 24)); o.write(b); left -= len(b)
print('vmcore.le.elf: %d PT_LOAD' % len(loads))
PY
{
  echo "kernel: $(basename "$VMLINUX")"
  echo "qemu: $(qemu-system-ppc64 --version | head -n1)"
  echo "memory: $MEM, cpus: 2, machine: pseries, cpu: $CPU, accel: tcg"
  grep 'HVDUMP:' "$OUT/console.log" | tr -d '\r'
  echo "vmcore.elf: $(stat -c %s "$OUT/vmcore.elf") bytes"
} > "$OUT/info.txt"
log "done: $OUT"
