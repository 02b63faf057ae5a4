#!/usr/bin/env bash
# make-fadump-fixture.sh [-m MEM] [--crashkernel SIZE] [--only root|kernel] [-o DIR] - a real POWER
# firmware-assisted dump (FADump) made by the kernel, under QEMU (issue 20).
#
# QEMU implements FADump for pseries since 10.1 (hw/ppc/spapr_fadump.c); this machine's bookworm
# QEMU (7.2) does not, so Debian forky's qemu-system-ppc runs from a forky amd64 chroot
# ($HVDUMP_CACHE/forky-root, debootstrap minbase + qemu-system-ppc, from the mirror this machine's
# apt uses for bookworm). No Debian ppc64el kernel has CONFIG_FA_DUMP, so one is built from
# Debian's linux-source-6.12 with the cross gcc: pseries_le_defconfig without modules, plus
# FA_DUMP, 64 KiB pages, radix, PPC_OF_BOOT_TRAMPOLINE (x-vof boots through prom_init),
# ALTIVEC/VSX (busybox needs them), virtio block and the hvc console built in, debug info
# ($HVDUMP_CACHE/fadump-kernel-<version>/: vmlinux, vmlinux.debug, config).
#
# The guest (-machine pseries,x-vof=on -cpu POWER9 -smp 2, `fadump=on crashkernel=SIZE`) runs
# scripts/fadump-guest-init.sh from a busybox-static ppc64el initramfs: the first boot registers
# FADump, makes a memory mix, saves fadump_region and crashes (sysrq-c); the firmware-assisted
# boot saves fadump_region (dump active), copies /proc/vmcore raw to a virtio disk, writes
# release_mem, saves fadump_region again, re-registers and powers off. Small files go to an ext2
# disk that the host reads back with debugfs (no mount).
#
# Writes DIR (default $FIXTURES/fadump-<mem>, FIXTURES defaults to ~/.cache/hvdump-fixtures):
# vmcore, fadump_region.boot1/.active/.released/.rearmed, sysfs.*, meminfo.*, dmesg.*,
# console.log, info.txt. Idempotent: skips when DIR/vmcore exists. The kernel build and the
# chroot are cached; a build takes 5-16 minutes here, the guest run well under a minute.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
MEM=2G CRASH=512M ONLY="" OUT="" TIMEOUT=900
while [ $# -gt 0 ]; do case "$1" in
  -m) MEM=$2; shift 2;;
  --crashkernel) CRASH=$2; shift 2;;
  --only) ONLY=$2; shift 2;;
  -o) OUT=$2; shift 2;;
  --timeout) TIMEOUT=$2; shift 2;;
  *) echo "usage: $0 [-m MEM] [--crashkernel SIZE] [--only root|kernel] [-o DIR] [--timeout SEC]" >&2; exit 2;;
esac; done
CACHE=${HVDUMP_CACHE:-$HOME/.cache/hvdump}
FIX=${FIXTURES:-$HOME/.cache/hvdump-fixtures}
OUT=${OUT:-$FIX/fadump-${MEM,,}}
ROOT=$CACHE/forky-root
KSERIES=6.12
t0=$(date +%s)
log() { echo "[$(( $(date +%s) - t0 ))s] $*"; }
die() { echo "make-fadump-fixture: $*" >&2; exit 1; }
[ -z "$ONLY" ] && [ -s "$OUT/vmcore" ] && { echo "$OUT: present"; exit 0; }
mkdir -p "$CACHE"

# 1. The forky chroot with QEMU >= 10.1. The mirror is whatever apt uses here for bookworm (the
# same archive serves forky); bookworm's debootstrap has no forky script, sid's is the same.
forky_root() {
  if [ ! -x "$ROOT/usr/bin/qemu-system-ppc64" ]; then
    command -v debootstrap >/dev/null || die "missing debootstrap (apt-get install debootstrap)"
    local mirror
    mirror=$("$HERE/apt-mirror.sh" bookworm) || die "no Debian mirror in the apt configuration"
    rm -rf "$ROOT"
    log "debootstrap forky into $ROOT from $mirror"
    debootstrap --variant=minbase forky "$ROOT" "$mirror" /usr/share/debootstrap/scripts/sid \
      >"$CACHE/forky-root.log" 2>&1 || { tail -5 "$CACHE/forky-root.log" >&2; die "debootstrap forky failed"; }
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
    cp /etc/apt/apt.conf.d/99* "$ROOT/etc/apt/apt.conf.d/" 2>/dev/null || true
    log "installing qemu-system-ppc in the chroot"
    chroot "$ROOT" apt-get install -y -q --no-install-recommends qemu-system-ppc >>"$CACHE/forky-root.log" 2>&1 \
      || { tail -5 "$CACHE/forky-root.log" >&2; die "apt-get install qemu-system-ppc in $ROOT failed"; }
    chroot "$ROOT" apt-get clean
  fi
  # spapr_fadump.c registers the RTAS call the kernel looks for; without it there is no FADump.
  grep -q "ibm,configure-kernel-dump" "$ROOT/usr/bin/qemu-system-ppc64" \
    || die "$(chroot "$ROOT" qemu-system-ppc64 --version | head -n1) in $ROOT has no FADump (ibm,configure-kernel-dump)"
}

# 2. The kernel. linux-source-6.12 is whichever 6.12 the mirror serves (bookworm-security: 6.12.117).
KDIR=""
fadump_kernel() {
  local deb ver src
  for t in powerpc64le-linux-gnu-gcc flex bison bc; do
    command -v "$t" >/dev/null || die "missing $t (apt-get install gcc-powerpc64le-linux-gnu flex bison bc libssl-dev libelf-dev)"
  done
  mkdir -p "$CACHE/fadump-src"
  deb=$(ls "$CACHE"/fadump-src/linux-source-${KSERIES}_*_all.deb 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$deb" ]; then
    (cd "$CACHE/fadump-src" && apt-get download -q "linux-source-$KSERIES" 2>&1 | grep -v '^W:' || true)
    deb=$(ls "$CACHE"/fadump-src/linux-source-${KSERIES}_*_all.deb 2>/dev/null | sort -V | tail -n1 || true)
    [ -n "$deb" ] || die "apt-get download linux-source-$KSERIES failed"
  fi
  ver=$(dpkg-deb -f "$deb" Version | sed 's/-.*//')
  KDIR=$CACHE/fadump-kernel-$ver
  [ -s "$KDIR/vmlinux" ] && [ -s "$KDIR/vmlinux.debug" ] && { log "kernel $ver: cached in $KDIR"; return; }
  src=$CACHE/fadump-src/linux-source-$KSERIES
  if [ ! -f "$src/Makefile" ]; then
    log "unpacking $(basename "$deb")"
    rm -rf "$CACHE/fadump-src/x" "$src"
    dpkg-deb -x "$deb" "$CACHE/fadump-src/x"
    tar -xaf "$CACHE"/fadump-src/x/usr/src/linux-source-$KSERIES.tar.* -C "$CACHE/fadump-src"
    rm -rf "$CACHE/fadump-src/x"
  fi
  local mk=(make -C "$src" ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu- -j2)
  "${mk[@]}" -s pseries_le_defconfig
  # Without modules Kconfig builds every =m in, test suites and torture tests included (the boot
  # then runs them for many minutes under TCG): what would be a module is left out instead.
  sed -i 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/# \1 is not set/' "$src/.config"
  local cfg=(
    -d MODULES -e FA_DUMP -e CRASH_DUMP -e PROC_VMCORE -e PPC_64K_PAGES -d PPC_4K_PAGES -e PPC_RADIX_MMU
    -e PPC_OF_BOOT_TRAMPOLINE -e ALTIVEC -e VSX -e VIRTIO -e VIRTIO_PCI -e VIRTIO_BLK -e HVC_CONSOLE
    -e EXT4_FS -e DEBUG_FS -e MAGIC_SYSRQ -e BLK_DEV_INITRD -e DEVTMPFS -e TMPFS -e PRINTK
    -d DEBUG_INFO_NONE -e DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -d DEBUG_INFO_REDUCED -d DEBUG_INFO_BTF
    # What pseries_le_defconfig builds in and this guest never uses: half the build time.
    -d DRM -d FB -d SOUND -d WLAN -d WIRELESS -d INFINIBAND -d NETFILTER -d KVM -d BPF_SYSCALL -d NETDEVICES
    -d IPV6 -d XFS_FS -d BTRFS_FS -d NETWORK_FILESYSTEMS -d SCSI -d ATA -d MD -d USB_SUPPORT -d HID
    -d SECURITY_SELINUX -d SECURITY -d AUDIT -d FTRACE -d CGROUPS -d NUMA -d RUNTIME_TESTING_MENU -d KUNIT
    --set-str LOCALVERSION "-fadump" -d LOCALVERSION_AUTO
  )
  "$src/scripts/config" --file "$src/.config" "${cfg[@]}"
  "${mk[@]}" -s olddefconfig
  for c in FA_DUMP PPC_64K_PAGES PPC_RADIX_MMU PPC_OF_BOOT_TRAMPOLINE ALTIVEC VSX VIRTIO_BLK HVC_CONSOLE DEBUG_FS PROC_VMCORE; do
    grep -qx "CONFIG_$c=y" "$src/.config" || die "kernel config lost CONFIG_$c=y (olddefconfig)"
  done
  log "building linux $ver (nice -n 10 make -j2 vmlinux)"
  nice -n 10 "${mk[@]}" vmlinux >"$CACHE/fadump-kernel-build.log" 2>&1 \
    || { tail -20 "$CACHE/fadump-kernel-build.log" >&2; die "kernel build failed (log: $CACHE/fadump-kernel-build.log)"; }
  mkdir -p "$KDIR"
  cp "$src/vmlinux" "$KDIR/vmlinux.debug"
  powerpc64le-linux-gnu-strip --strip-debug -o "$KDIR/vmlinux" "$src/vmlinux"
  cp "$src/.config" "$KDIR/config"
  "${mk[@]}" -s kernelrelease > "$KDIR/release"
  log "kernel $(cat "$KDIR/release") in $KDIR"
}

case "$ONLY" in
  root) forky_root; exit 0;;
  kernel) fadump_kernel; exit 0;;
  "") ;;
  *) die "--only root or kernel";;
esac
forky_root
fadump_kernel
for t in cpio mke2fs debugfs; do command -v "$t" >/dev/null || die "missing $t"; done

# 3. The initramfs: busybox-static ppc64el (downloaded and unpacked as make-ppc64-fixture.sh does).
DEBS=$CACHE/ppc64le-debs
mkdir -p "$DEBS"
if ! ls "$DEBS"/busybox-static_*_ppc64el.deb >/dev/null 2>&1; then
  dpkg --print-foreign-architectures | grep -qx ppc64el || dpkg --add-architecture ppc64el
  apt-get update -q >/dev/null 2>&1 || true
  (cd "$DEBS" && apt-get download -q busybox-static:ppc64el 2>&1 | grep -v '^W:' || true)
fi
[ -x "$DEBS/bb/bin/busybox" ] || { mkdir -p "$DEBS/bb" && dpkg-deb -x "$(ls "$DEBS"/busybox-static_*_ppc64el.deb | head -n1)" "$DEBS/bb"; }
rm -rf "$OUT" && mkdir -p "$OUT"
W=$(mktemp -d "${TMPDIR:-/var/tmp}/hvdump-fadump.XXXXXX")
trap 'rm -rf "$W"; [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null || true' EXIT
RD=$W/rd
mkdir -p "$RD"/{bin,sbin,dev,proc,sys,mnt,tmp}
cp "$DEBS/bb/bin/busybox" "$RD/bin/busybox"
for a in sh mount umount mkdir cat grep dd head tail sleep sed uname echo ls sync poweroff stat wc cp tr cut dmesg; do ln -s busybox "$RD/bin/$a"; done
cp "$HERE/fadump-guest-init.sh" "$RD/init" && chmod +x "$RD/init"
(cd "$RD" && find . | cpio -o -H newc --quiet | gzip -1) > "$W/initrd.gz"

# 4. Disks: vda, ext2 for the small files of both boots; vdb, raw, for /proc/vmcore (sparse).
mke2fs -q -t ext2 -F "$W/files.img" 64M
truncate -s "$(( $(numfmt --from=iec "$MEM") + (64 << 20) ))" "$W/vmcore.img"

# 5. Both boots in one QEMU run: the firmware-assisted reboot keeps the disks. QEMU runs from the
# chroot's own loader and libraries (no chroot, no bind mounts); -L finds its vof.bin.
LIBS=$ROOT/usr/lib/x86_64-linux-gnu:$ROOT/lib/x86_64-linux-gnu
QEMU=("$ROOT/lib64/ld-linux-x86-64.so.2" --library-path "$LIBS" "$ROOT/usr/bin/qemu-system-ppc64" -L "$ROOT/usr/share/qemu")
log "guest: $MEM, crashkernel=$CRASH"
nice -n 10 "${QEMU[@]}" -machine pseries,x-vof=on -cpu POWER9 -smp 2 -m "$MEM" -accel tcg \
  -kernel "$KDIR/vmlinux" -initrd "$W/initrd.gz" \
  -append "console=hvc0 loglevel=6 fadump=on crashkernel=$CRASH" \
  -drive "file=$W/files.img,format=raw,if=none,id=files" -device virtio-blk-pci,drive=files \
  -drive "file=$W/vmcore.img,format=raw,if=none,id=vmcore" -device virtio-blk-pci,drive=vmcore \
  -vga none -display none -monitor none -serial "file:$OUT/console.log" &
qpid=$!
for i in $(seq 1 "$TIMEOUT"); do kill -0 "$qpid" 2>/dev/null || break; sleep 1; done
if kill -0 "$qpid" 2>/dev/null; then
  kill "$qpid"; tail -20 "$OUT/console.log" >&2; die "guest still running after $TIMEOUT s"
fi
wait "$qpid" 2>/dev/null || true; qpid=
log "guest done"
tr -d '\r' < "$OUT/console.log" | grep -q 'HVDUMP-DONE' || { tail -30 "$OUT/console.log" >&2; die "the capture boot did not finish (console.log)"; }

# 6. The files, read back from the ext2 disk; the vmcore cut to the size the guest copied.
debugfs -R "rdump /hvdump $W" "$W/files.img" >/dev/null 2>&1
cp "$W"/hvdump/* "$OUT/" 2>/dev/null || die "no files on the ext2 disk"
size=$(cat "$OUT/vmcore.size")
truncate -s "$size" "$W/vmcore.img"
mv "$W/vmcore.img" "$OUT/vmcore"
{
  echo "kernel: $(cat "$KDIR/release") ($KDIR)"
  echo "qemu: $("${QEMU[@]}" --version | head -n1)"
  echo "memory: $MEM, crashkernel=$CRASH, cpus: 2, machine: pseries,x-vof=on, cpu: POWER9, accel: tcg"
  tr -d '\r' < "$OUT/console.log" | grep 'HVDUMP:'
  echo "vmcore: $size bytes"
} > "$OUT/info.txt"
log "done: $OUT"
