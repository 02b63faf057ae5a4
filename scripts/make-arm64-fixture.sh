#!/usr/bin/env bash
# make-arm64-fixture.sh [-m MEM] [--nokaslr] [--16k] - a real arm64 (AArch64) vmcore for the arm64 tests.
#
# Boots Debian 12's arm64 cloud kernel (the .deb is downloaded and unpacked, never installed)
# — with --16k Debian 12's arm64-16k kernel (6.12 from bookworm-security: 16 KiB pages, VA_BITS
# and PA_BITS 52, so on -cpu max the kernel runs 52-bit with FEAT_LPA2) —
# under qemu-system-aarch64 -machine virt (TCG, 2 CPUs) with a busybox initramfs
# (scripts/arm64-guest-init.sh) and a small ext4 disk for file page cache, waits for HVDUMP-READY,
# and takes the dumps with QMP dump-guest-memory (../shared/realcore/qmp.py) from the one stopped
# guest: ELF and QEMU's kdump-zlib. Unlike pseries, virt has -device vmcoreinfo: the guest's
# qemu_fw_cfg module tells QEMU where the VMCOREINFO note is, and QEMU puts it in both dumps.
# The kernel's -dbg package gives the vmlinux with DWARF (for drgn and crash): only vmlinux and
# System.map are taken out of it, as the rest (the modules' debug info) is most of its 2 GB.
#
# Writes $FIXTURES/arm64-<mem>[-nokaslr][-16k]/ (FIXTURES defaults to ~/.cache/hvdump-fixtures):
#   vmcore.elf               QEMU's ELF dump, as written
#   vmcore.fixed.elf         the same with the program headers right after the ELF header
#                            (../shared/realcore/qemu-elf-fix.py), which makedumpfile 1.7.2 needs
#   vmcore.kexec.elf         the same with /proc/vmcore's virtual addresses in the PT_LOADs
#                            (scripts/arm64-kexec-elf.py), which drgn 0.0.22 needs
#   vmcore.kdump-zlib.flat   QEMU's kdump-zlib dump, as written (QEMU 7.2 writes it flattened)
#   vmcore.kdump             the same rearranged into a normal kdump-compressed file (makedumpfile -R)
#   vmcoreinfo.txt           the VMCOREINFO note's text, cut out of vmcore.elf's PT_NOTE
#   vmlinux, System.map      links to the -dbg package's files in the download cache
#   console.log, info.txt
# Idempotent: skips when vmcore.elf, vmcore.kdump and info.txt exist.
set -euo pipefail
MEM=512M KASLR=1 SUFFIX= FLAVOUR=cloud-arm64
while [ $# -gt 0 ]; do case "$1" in
  -m) MEM=$2; shift 2;;
  --nokaslr) KASLR=0 SUFFIX=$SUFFIX-nokaslr; shift;;
  --16k) FLAVOUR=arm64-16k SUFFIX=$SUFFIX-16k; shift;;
  *) echo "usage: $0 [-m MEM] [--nokaslr] [--16k]" >&2; exit 2;;
esac; done
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=$(cd "$HERE/../../shared" 2>/dev/null && pwd || true)
FIX=${FIXTURES:-$HOME/.cache/hvdump-fixtures}
OUT="$FIX/arm64-$(echo "$MEM" | tr 'A-Z' 'a-z')$SUFFIX"
DEBS="${HVDUMP_CACHE:-$HOME/.cache/hvdump}/arm64-debs" # downloads: kept across runs, unlike the fixture
[ "$FLAVOUR" = cloud-arm64 ] || DEBS="$DEBS-${FLAVOUR#arm64-}"
[ -s "$OUT/vmcore.elf" ] && [ -s "$OUT/vmcore.kdump" ] && [ -s "$OUT/info.txt" ] && { echo "$OUT: present"; exit 0; }
for t in qemu-system-aarch64 makedumpfile mke2fs cpio gzip python3; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install qemu-system-arm makedumpfile e2fsprogs cpio gzip)" >&2; exit 1; }
done
[ -r "$SHARED/realcore/qmp.py" ] || { echo "no ../shared/realcore/qmp.py next to this repository" >&2; exit 1; }
t0=$(date +%s)
log() { echo "[$(( $(date +%s) - t0 ))s] $*"; }

# 1. Debian's arm64 cloud kernel, its -dbg package and busybox-static, unpacked.
mkdir -p "$DEBS"
have() { compgen -G "$1" >/dev/null; } # a glob that matches at least one file
if ! { have "$DEBS/linux-image-*-${FLAVOUR}_*_arm64.deb" || have "$DEBS/linux-image-*-$FLAVOUR-unsigned_*_arm64.deb"; } \
   || ! have "$DEBS/linux-image-*-$FLAVOUR-dbg_*_arm64.deb" || ! have "$DEBS/busybox-static_*_arm64.deb"; then
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  # The security archive's arm64 index is sometimes mid-sync; a partial update still names the kernel.
  apt-get update -q >/dev/null 2>&1 || true
  if [ "$FLAVOUR" = cloud-arm64 ]; then
    kpkg=$(apt-cache depends linux-image-cloud-arm64:arm64 | sed -n 's/.*Depends: \(linux-image-[^:]*\).*/\1/p' | head -n1)
    dpkg=$kpkg-dbg
  else # the newest -unsigned image the indexes name (the signed one is the EFI-signed same kernel; QEMU boots either)
    kpkg=$(apt-cache search --names-only "^linux-image-[0-9.]*[+]deb12-$FLAVOUR-unsigned\$" | cut -d' ' -f1 | sort -V | tail -n1)
    dpkg=${kpkg%-unsigned}-dbg
  fi
  [ -n "$kpkg" ] || { echo "no linux-image ($FLAVOUR):arm64 in the apt indexes" >&2; exit 1; }
  (cd "$DEBS" && apt-get download -q "$kpkg:arm64" "$dpkg:arm64" busybox-static:arm64 2>&1 | grep -v '^W:' || true)
fi
kdeb=$( (ls "$DEBS"/linux-image-*-"$FLAVOUR"{,-unsigned}_*_arm64.deb 2>/dev/null || true) | sort -V | tail -n1)
[ -n "$kdeb" ] || { echo "no $FLAVOUR kernel .deb in $DEBS" >&2; exit 1; }
[ -d "$DEBS/k/boot" ] || { mkdir -p "$DEBS/k" && dpkg-deb -x "$kdeb" "$DEBS/k"; }
[ -x "$DEBS/bb/bin/busybox" ] || { mkdir -p "$DEBS/bb" && dpkg-deb -x "$(ls "$DEBS"/busybox-static_*_arm64.deb | head -n1)" "$DEBS/bb"; }
KVER=$(basename "$(ls -d "$DEBS"/k/lib/modules/* | head -n1)")
KERNEL="$DEBS/k/boot/vmlinuz-$KVER"
MODS="$DEBS/k/lib/modules/$KVER/kernel"
DBG="$DEBS/dbg/usr/lib/debug/boot"
if [ ! -s "$DBG/vmlinux-$KVER" ]; then
  mkdir -p "$DEBS/dbg"
  dpkg-deb --fsys-tarfile "$(ls "$DEBS"/linux-image-"$KVER"-dbg_*_arm64.deb)" \
    | tar -x -C "$DEBS/dbg" "./usr/lib/debug/boot/vmlinux-$KVER" "./usr/lib/debug/boot/System.map-$KVER"
fi
# Bookworm's arm64 vmlinuz is the signed EFI-stub Image, uncompressed ("ARM\x64" at offset 56),
# which QEMU's -kernel loads as it is. A gzip'd Image (unsigned builds of other suites) is
# unpacked first, so the boot does not depend on the loader's decompression support.
if [ "$(head -c 2 "$KERNEL" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
  [ -s "$DEBS/Image-$KVER" ] || gzip -dc "$KERNEL" > "$DEBS/Image-$KVER"
  KERNEL="$DEBS/Image-$KVER"
fi
[ "$(dd if="$KERNEL" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" = 41524d64 ] \
  || { echo "$KERNEL: not an arm64 Image" >&2; exit 1; }
log "kernel $KVER ($(basename "$kdeb"))"

# 2. The initramfs and the data disk.
rm -rf "$OUT" && mkdir -p "$OUT"
work=$(mktemp -d); trap 'rm -rf "$work"; [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null || true' EXIT
root="$work/root"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,mnt,lib/modules}
cp "$DEBS/bb/bin/busybox" "$root/bin/busybox"
for a in sh mount mkdir cat grep dd head tail sleep sed uname echo ls insmod dmesg awk; do ln -s busybox "$root/bin/$a"; done
for m in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_mmio drivers/block/virtio_blk \
         drivers/firmware/qemu_fw_cfg; do
  grep -qx "kernel/$m.ko" "$MODS/../modules.builtin" && continue # built in (the arm64-16k flavour's virtio core)
  f=$(ls "$MODS/$m".ko* | head -n1)
  case "$f" in # busybox insmod wants a plain .ko
    *.xz) xz -dc "$f";; *.zst) zstd -dcq "$f";; *.gz) gzip -dc "$f";; *) cat "$f";;
  esac > "$root/lib/modules/$(basename "$m").ko"
done
cp "$HERE/arm64-guest-init.sh" "$root/init" && chmod +x "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) > "$work/initrd.gz"
# Workload sizes scale with the guest (the same shares as ../shared/realcore/make-vmcore.sh).
case "${MEM^^}" in *G) mb=$(( ${MEM%?} * 1024 ));; *M) mb=${MEM%?};; *) mb=$MEM;; esac # QEMU's unit is MiB
CACHE=$((mb / 8)) DIRTY=$((mb / 64)) SHM=$((mb / 16)) ANON=$((mb / 10)) ZERO=$((mb / 32))
# The page cache comes from a file of seeded random bytes (the same every run, so not
# compressible and not all alike); the guest writes go to a QEMU snapshot overlay.
mkdir -p "$work/disk"
python3 - "$work/disk/random.bin" "$CACHE" <<'PY'
import random, sys
r = random.Random(20240601)
with open(sys.argv[1], 'wb') as f:
    for _ in range(int(sys.argv[2])): f.write(r.randbytes(1 << 20))
PY
E2FSPROGS_FAKE_TIME=0 mke2fs -q -t ext4 -d "$work/disk" "$work/disk.img" "$((CACHE + DIRTY + 32))M" >/dev/null
rm -rf "$work/disk"

# 3. Boot, wait for the guest, dump.
APPEND="console=ttyAMA0 loglevel=6 panic=-1 hv.cache=$CACHE hv.dirty=$DIRTY hv.shm=$SHM hv.anon=$ANON hv.zero=$ZERO"
[ "$KASLR" = 1 ] || APPEND="$APPEND nokaslr"
sock="$work/qmp.sock"
# -cpu max: pauth-impdef=on swaps the architected QARMA pointer-authentication hash for QEMU's
# cheap one; the kernel signs every return address, and under TCG QARMA made the boot far slower.
# The guest cannot tell the difference (the algorithm is IMPLEMENTATION DEFINED).
# KASLR: virt puts /chosen/kaslr-seed into the device tree (dtb-randomness, on by default), which
# the kernel reads when it is booted without the EFI stub, as here.
QEMU=(qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on -smp 2 -m "$MEM" -accel tcg
  -kernel "$KERNEL" -initrd "$work/initrd.gz" -append "$APPEND"
  -device vmcoreinfo
  -drive "file=$work/disk.img,format=raw,if=none,id=d0,snapshot=on" -device virtio-blk-device,drive=d0
  -nodefaults -display none -monitor none -serial "file:$OUT/console.log"
  -qmp "unix:$sock,server=on,wait=off" -no-reboot)
"${QEMU[@]}" &
qpid=$!
for i in $(seq 1 900); do
  grep -q '^HVDUMP-READY' "$OUT/console.log" 2>/dev/null && break
  kill -0 "$qpid" 2>/dev/null || { echo "QEMU exited; console:" >&2; tail -20 "$OUT/console.log" >&2; exit 1; }
  grep -q 'Kernel panic' "$OUT/console.log" 2>/dev/null && { tail -20 "$OUT/console.log" >&2; exit 1; }
  sleep 1
done
grep -q '^HVDUMP-READY' "$OUT/console.log" || { echo "guest not ready after 900 s" >&2; tail -20 "$OUT/console.log" >&2; exit 1; }
tboot=$(( $(date +%s) - t0 ))
log "guest ready"
grep -q 'fw_cfg etc/vmcoreinfo present' "$OUT/console.log" || { echo "the guest did not publish VMCOREINFO" >&2; exit 1; }
python3 "$SHARED/realcore/qmp.py" "$sock" dump "$OUT" elf,kdump-zlib | tee "$work/dumps.txt"
python3 "$SHARED/realcore/qmp.py" "$sock" quit || true
wait "$qpid" 2>/dev/null || true; qpid=
log "dumped"

# 4. The forms the readers take. QEMU 7.2 writes kdump-* flattened (makedumpfile's streaming
# format, which libkdumpfile and drgn do not read); makedumpfile -R only reorders its records, so
# the host's x86_64 makedumpfile does it for any architecture's dump.
if [ "$(head -c 12 "$OUT/vmcore.kdump-zlib")" = makedumpfile ]; then
  mv "$OUT/vmcore.kdump-zlib" "$OUT/vmcore.kdump-zlib.flat"
  makedumpfile -R "$OUT/vmcore.kdump" < "$OUT/vmcore.kdump-zlib.flat" >/dev/null
else
  mv "$OUT/vmcore.kdump-zlib" "$OUT/vmcore.kdump"
fi
python3 "$SHARED/realcore/qemu-elf-fix.py" "$OUT/vmcore.elf" "$OUT/vmcore.fixed.elf" >/dev/null
chmod 0644 "$OUT"/vmcore.*
# The VMCOREINFO text, read from the ELF's notes (independent of hvdump's code).
python3 - "$OUT/vmcore.elf" "$OUT/vmcoreinfo.txt" <<'PY'
import struct, sys
f = open(sys.argv[1], 'rb'); eh = f.read(64)
phoff, = struct.unpack('<Q', eh[32:40]); phentsize, phnum = struct.unpack('<HH', eh[54:58])
for i in range(phnum):
    f.seek(phoff + i * phentsize)
    typ, flags, off, va, pa, filesz = struct.unpack('<IIQQQQ', f.read(40))
    if typ != 4: continue
    f.seek(off); notes = f.read(filesz); p = 0
    while p + 12 <= len(notes):
        namesz, descsz, ntype = struct.unpack_from('<III', notes, p)
        name = notes[p + 12:p + 12 + namesz].rstrip(b'\0')
        d = p + 12 + ((namesz + 3) & ~3)
        if name == b'VMCOREINFO':
            open(sys.argv[2], 'wb').write(notes[d:d + descsz].rstrip(b'\0')); sys.exit(0)
        p = d + ((descsz + 3) & ~3)
sys.exit('no VMCOREINFO note in ' + sys.argv[1])
PY
ln -sf "$DBG/vmlinux-$KVER" "$OUT/vmlinux"
ln -sf "$DBG/System.map-$KVER" "$OUT/System.map"
# vmcore.kexec.elf: program headers as /proc/vmcore has them (kernel image and linear map), for drgn.
python3 "$HERE/arm64-kexec-elf.py" "$OUT" && chmod 0644 "$OUT/vmcore.kexec.elf"
koff=$(sed -n 's/^KERNELOFFSET=//p' "$OUT/vmcoreinfo.txt")
# With KASLR the kernel must really have moved: a zero offset means the seed did not reach it.
if [ "$KASLR" = 1 ] && [ "$((16#${koff:-0}))" = 0 ]; then echo "KASLR asked for, but KERNELOFFSET=${koff:-none}" >&2; exit 1; fi
{
  echo "kernel: $KVER ($(basename "$kdeb"))"
  echo "release: $(sed -n 's/^OSRELEASE=//p' "$OUT/vmcoreinfo.txt")"
  echo "vmlinux: $DBG/vmlinux-$KVER"
  echo "busybox: $(ls "$DEBS"/busybox-static_*_arm64.deb | xargs -n1 basename)"
  echo "qemu: $(qemu-system-aarch64 --version | head -n1)"
  echo "memory: $MEM, cpus: 2, machine: virt, cpu: max,pauth-impdef=on, accel: tcg"
  echo "kaslr: $([ "$KASLR" = 1 ] && echo on || echo off), KERNELOFFSET=$koff"
  echo "append: $APPEND"
  echo "workload MB: cache=$CACHE dirty=$DIRTY shm=$SHM anon=$ANON zero=$ZERO"
  echo "qemu command: ${QEMU[*]}"
  grep '^HVDUMP: ' "$OUT/console.log" | grep -v -- '----' | tr -d '\r'
  echo "dumps:"
  sed "s|$OUT/||; s/^/  /" "$work/dumps.txt"
  echo "files (bytes):"
  (cd "$OUT" && for f in vmcore.*; do printf '  %-24s %12d\n' "$f" "$(stat -c %s "$f")"; done)
  echo "guest meminfo at HVDUMP-READY:"
  sed -n '/---- \/proc\/meminfo ----/,/---- end ----/p' "$OUT/console.log" | tr -d '\r' | grep -v HVDUMP | sed 's/^/  /'
  echo "seconds: boot to HVDUMP-READY $tboot, total $(( $(date +%s) - t0 ))"
} > "$OUT/info.txt"
log "done: $OUT"
