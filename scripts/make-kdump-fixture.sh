#!/usr/bin/env bash
# make-kdump-fixture.sh - a real kexec kdump capture under QEMU, where hvdump really runs: the
# capture kernel's own /proc/vmcore, one CPU (nr_cpus=1, the distro default), a small crashkernel.
#
# QEMU x86_64 TCG boots Debian's kernel (the host's /boot/vmlinuz-*-cloud-amd64, the one whose
# debug vmlinux crash needs) with crashkernel=SIZE; the first kernel builds a memory mix (page
# cache, dirty file pages, shmem, anonymous and zero-filled anonymous memory), loads the capture
# kernel with kexec -p (kexec_load) or kexec -s -p (kexec_file_load) and crashes with sysrq-c. The
# capture kernel runs each line of the run list on /proc/vmcore one after another (caches dropped
# before each), timed with peak RSS by GNU time, writes the outputs and results.txt to the OUT disk
# and powers off. The host then copies OUT's files into the fixture directory (debugfs, no mount).
# One initramfs serves both kernels (scripts/kdump-guest-init.sh): busybox, kexec, GNU time,
# Debian's makedumpfile and the NativeAOT hvdump, each with only the libraries ldd lists.
#
# usage: make-kdump-fixture.sh [-m MEM] [--crashkernel SIZE] [--nr-cpus N] [--file-load]
#                              [--runs FILE] [--hvdump PATH] [-o DIR] [--timeout SEC]
# Writes DIR (default $FIXTURES/kdump-<load>-<crashkernel>-<n>cpu): results.txt, console.log,
# vmcore (cp of /proc/vmcore, the reference), the outputs of the runs, info.txt.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
MEM=1G CRASH=192M NRCPUS=1 LOAD=load RUNS="" HVDUMP="" OUT="" TIMEOUT=1500 SMP=2
while [ $# -gt 0 ]; do case "$1" in
  -m) MEM=$2; shift 2;;
  --crashkernel) CRASH=$2; shift 2;;
  --nr-cpus) NRCPUS=$2; shift 2;;
  --file-load) LOAD=file; shift;;
  --runs) RUNS=$2; shift 2;;
  --hvdump) HVDUMP=$2; shift 2;;
  -o) OUT=$2; shift 2;;
  --timeout) TIMEOUT=$2; shift 2;;
  *) echo "usage: $0 [-m MEM] [--crashkernel SIZE] [--nr-cpus N] [--file-load] [--runs FILE] [--hvdump PATH] [-o DIR]" >&2; exit 2;;
esac; done
FIX=${FIXTURES:-$HOME/.cache/hvdump-fixtures}
OUT=${OUT:-$FIX/kdump-$LOAD-${CRASH,,}-${NRCPUS}cpu}
HVDUMP=${HVDUMP:-$ROOT/artifacts/publish/linux-x64/hvdump}
RUNS=${RUNS:-$HERE/kdump-runs.txt}
t0=$(date +%s)
log() { echo "[$(( $(date +%s) - t0 ))s] $*"; }
die() { echo "make-kdump-fixture: $*" >&2; exit 1; }
for t in qemu-system-x86_64 busybox cpio mke2fs debugfs kexec makedumpfile ldd; do
  command -v "$t" >/dev/null || die "missing $t (scripts/install-deps.sh installs it)"
done
[ -x /usr/bin/time ] || die "missing /usr/bin/time (Debian package time)"
[ -x "$HVDUMP" ] || die "no NativeAOT hvdump at $HVDUMP (scripts/publish.sh builds it)"
[ -r "$RUNS" ] || die "no run list $RUNS"
KVER=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -1)
[ -n "$KVER" ] || die "no /boot/vmlinuz-*-cloud-amd64 (apt-get install linux-image-cloud-amd64)"
rm -rf "$OUT"; mkdir -p "$OUT"
W=$(mktemp -d "${TMPDIR:-/var/tmp}/hvdump-kdump.XXXXXX")
trap 'rm -rf "$W"' EXIT

# 1. The initramfs: a binary and every library ldd lists, at the paths the loader looks in.
RD=$W/rd
mkdir -p "$RD"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,mnt,tmp,lib64,lib/x86_64-linux-gnu}
cp "$(command -v busybox)" "$RD/bin/busybox"
for a in $("$RD/bin/busybox" --list); do [ -e "$RD/bin/$a" ] || ln -s busybox "$RD/bin/$a"; done
with_libs() {
  local bin=$1 dest=$2
  cp -L "$bin" "$RD$dest"
  ldd "$bin" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib64/ { print $1 }' | while read -r lib; do
    [ -e "$RD$lib" ] || { mkdir -p "$RD$(dirname "$lib")"; cp -L "$lib" "$RD$lib"; }
  done
}
rm -f "$RD/bin/time"   # GNU time, not busybox's: -f with %M (peak RSS in KiB)
with_libs /usr/bin/time /usr/bin/time
with_libs "$(command -v kexec)" /sbin/kexec
with_libs "$(command -v makedumpfile)" /usr/bin/makedumpfile
with_libs "$HVDUMP" /usr/bin/hvdump
# Nothing else: scripts/publish.sh links hvdump's codecs in, so what ldd lists is all it needs
# (its --version run in the capture kernel shows every codec answering there).
install -m 0755 "$HERE/kdump-guest-init.sh" "$RD/init"
( cd "$RD" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -1 ) > "$W/initrd.img"
log "initramfs $(stat -c %s "$W/initrd.img") bytes (kernel $KVER)"

# 2. Disks: OUT (kernel, initrd and run list in; outputs and results out), DATA (page-cache file).
mkdir -p "$W/out.d/boot" "$W/data.d"
cp "/boot/vmlinuz-$KVER" "$W/out.d/boot/vmlinuz"
cp "$W/initrd.img" "$W/out.d/boot/initrd.img"
cp "$RUNS" "$W/out.d/runs.txt"
mke2fs -q -F -t ext4 -L OUT -d "$W/out.d" "$W/out.img" 6G
head -c $((128 << 20)) /dev/urandom > "$W/data.d/random.bin"
mke2fs -q -F -t ext4 -L DATA -d "$W/data.d" "$W/data.img" 512M
rm -rf "$W/out.d" "$W/data.d"

# 3. Boot, crash, capture, power off (QEMU exits: -no-reboot).
case "${MEM^^}" in *G) MEMMB=$(( ${MEM%[gG]} * 1024 ));; *M) MEMMB=${MEM%[mM]};; *) MEMMB=$MEM;; esac
mix="hv.cache=$((MEMMB / 8)) hv.dirty=$((MEMMB / 64)) hv.shm=$((MEMMB / 16)) hv.anon=$((MEMMB / 10)) hv.zero=$((MEMMB / 32))"
append="console=ttyS0 crashkernel=$CRASH hv.load=$LOAD hv.nrcpus=$NRCPUS $mix"
log "booting: -m $MEM, $append"
timeout "$TIMEOUT" qemu-system-x86_64 -machine q35 -accel tcg -cpu max,la57=off -smp "$SMP" -m "$MEM" \
  -nographic -no-reboot -serial "file:$OUT/console.log" -monitor none \
  -kernel "/boot/vmlinuz-$KVER" -initrd "$W/initrd.img" -append "$append" \
  -drive "file=$W/out.img,if=none,id=out,format=raw" -device nvme,drive=out,serial=hvout \
  -drive "file=$W/data.img,if=none,id=data,format=raw,snapshot=on" -device nvme,drive=data,serial=hvdata \
  </dev/null >/dev/null 2>&1 || die "QEMU failed or timed out (see $OUT/console.log)"
log "QEMU exited"
grep -q "capture done" "$OUT/console.log" || die "the capture kernel did not finish (see $OUT/console.log)"

# 4. The capture kernel's files, out of the ext4 image without mounting it.
debugfs -R "ls -p /" "$W/out.img" 2>/dev/null | awk -F/ '$6 != "" && $6 != "." && $6 != ".." && $6 != "boot" && $6 != "lost+found" { print $6 }' |
  while read -r f; do debugfs -R "rdump /$f $OUT" "$W/out.img" >/dev/null 2>&1; done
[ -s "$OUT/results.txt" ] || die "no results.txt on the OUT disk"
{
  echo "kernel: $KVER"
  echo "qemu: -m $MEM -smp $SMP, TCG"
  echo "cmdline: $append"
  echo "capture: nr_cpus=$NRCPUS kexec_$LOAD"
  echo "hvdump: $HVDUMP ($(ldd "$HVDUMP" 2>/dev/null | awk '{print $1}' | tr '\n' ' '))"
  echo "makedumpfile: $(makedumpfile -v 2>&1 | head -n1)"
  echo "seconds: $(( $(date +%s) - t0 ))"
} > "$OUT/info.txt"
log "done: $OUT"
cat "$OUT/results.txt"
