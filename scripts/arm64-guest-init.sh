#!/bin/sh
# /init of the arm64 fixture's initramfs (busybox ash, PID 1 in a qemu-system-aarch64 virt guest).
# Builds a memory mix of every page class the dump levels tell apart (file page cache clean and
# dirty, shmem, anonymous user data, zero-filled anonymous pages, and the rest free), publishes
# VMCOREINFO to QEMU (qemu_fw_cfg, for -device vmcoreinfo), prints what the host records in
# info.txt, then HVDUMP-READY, and idles for the host's QMP dump.
# Sizes in MB come from the kernel command line (hv.cache= hv.dirty= hv.shm= hv.anon= hv.zero=),
# set by scripts/make-arm64-fixture.sh from the guest's memory size.
export PATH=/bin:/sbin
umask 022
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/shm /mnt /tmp
mount -t tmpfs -o size=50% shm /dev/shm
say() { echo "HVDUMP: $*"; }
CACHE=0 DIRTY=0 SHM=0 ANON=0 ZERO=0
for a in $(cat /proc/cmdline); do
  case "$a" in
    hv.cache=*) CACHE=${a#hv.cache=};; hv.dirty=*) DIRTY=${a#hv.dirty=};; hv.shm=*) SHM=${a#hv.shm=};;
    hv.anon=*) ANON=${a#hv.anon=};; hv.zero=*) ZERO=${a#hv.zero=};;
  esac
done
say "kernel $(uname -r) machine $(uname -m) cpus $(grep -c '^processor' /proc/cpuinfo)"
say "cmdline $(cat /proc/cmdline)"
# Where the kernel keeps its VMCOREINFO note: "<physical address> <size>", both hex.
say "vmcoreinfo $(cat /sys/kernel/vmcoreinfo)"
# Evidence of KASLR for the host: the kernel's own words ("KASLR enabled"); the offset itself is
# VMCOREINFO's KERNELOFFSET, which the host reads from the dump.
dmesg | grep -i -E 'kaslr|randomi' | sed 's/^/HVDUMP: dmesg: /'
# Debian builds these as modules: load them in dependency order (modules.dep is not shipped in
# the initramfs). qemu_fw_cfg's probe writes the note's address into fw_cfg "etc/vmcoreinfo",
# which QEMU's dump-guest-memory copies into the ELF and kdump dumps.
for m in virtio_ring virtio virtio_mmio virtio_blk qemu_fw_cfg; do
  [ -e "/lib/modules/$m.ko" ] || continue # built into this kernel
  insmod "/lib/modules/$m.ko" || say "WARNING: insmod $m failed"
done
if [ -e /sys/firmware/qemu_fw_cfg/by_name/etc/vmcoreinfo ]; then
  say "fw_cfg etc/vmcoreinfo present (vmcoreinfo published to QEMU)"
else
  say "WARNING: no fw_cfg etc/vmcoreinfo: the dump will have no VMCOREINFO note"
fi
# File page cache from a real block device (virtio-blk, ext4 built in): clean pages read from a
# file, dirty pages written to another (written back or not by dump time, both are cache).
i=0; while [ ! -b /dev/vda ] && [ $i -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
if [ -b /dev/vda ] && mount -t ext4 /dev/vda /mnt; then
  dd if=/mnt/random.bin of=/dev/null bs=1M count="$CACHE" 2>/dev/null
  dd if=/dev/urandom of=/mnt/dirty.bin bs=1M count="$DIRTY" 2>/dev/null
  say "page cache: ${CACHE} MB read, ${DIRTY} MB written on /dev/vda"
else
  say "WARNING: no ext4 /dev/vda: no file page cache"
fi
# shmem: user data in tmpfs.
dd if=/dev/urandom of=/dev/shm/random bs=1M count="$SHM" 2>/dev/null
# Anonymous memory: busybox tail -c N keeps the last N bytes of its input in a malloc'd buffer,
# and the producer never closes the pipe, so tail holds the data for as long as the guest runs.
{ head -c $((ANON * 1048576)) /dev/urandom; exec sleep 2147483647; } | tail -c $((ANON * 1048576)) > /dev/null &
{ head -c $((ZERO * 1048576)) /dev/zero; exec sleep 2147483647; } | tail -c $((ZERO * 1048576)) > /dev/null &
# Wait until both holders are (nearly) full and stopped growing, rather than a fixed sleep.
want=$(( (ANON + ZERO) * 1024 * 9 / 10 )) last=-1 n=0
while :; do
  rss=$(cat /proc/[0-9]*/status 2>/dev/null | sed -n 's/^RssAnon:[ \t]*\([0-9]*\) kB/\1/p' | awk '{s += $1} END {print s + 0}')
  [ "$rss" -ge "$want" ] && [ "$rss" = "$last" ] && break
  last=$rss n=$((n + 1))
  [ $n -gt 600 ] && { say "WARNING: anonymous memory stuck at ${rss} kB"; break; }
  sleep 1
done
say "anonymous memory: ${rss} kB resident (want ${ANON} MB random + ${ZERO} MB zero)"
echo "hvdump fixture: a line for dmesg" > /dev/kmsg
echo "HVDUMP: ---- /proc/meminfo ----"
cat /proc/meminfo
echo "HVDUMP: ---- end ----"
echo HVDUMP-READY
while :; do sleep 1000; done
