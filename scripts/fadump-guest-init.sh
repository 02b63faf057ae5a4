#!/bin/sh
# /init of the FADump fixture's initramfs (busybox ash, PID 1 in a pseries guest booted with
# fadump=on; scripts/make-fadump-fixture.sh). The same kernel and initramfs serve both boots:
# /proc/vmcore exists only in the firmware-assisted (capture) boot.
# First boot: FADump registered, a memory mix, fadump_region.boot1 saved, sysrq-c.
# Capture boot: fadump_region.active, /proc/vmcore copied raw to /dev/vdb, release_mem,
# fadump_region.released, re-registration, fadump_region.rearmed, power off.
# Small files go to /mnt/hvdump on /dev/vda (ext2, made by the host).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /dev/shm /tmp
mount -t tmpfs -o size=50% shm /dev/shm
say() { echo "HVDUMP: $*"; }
F=/sys/kernel/fadump
REGION=/sys/kernel/debug/powerpc/fadump_region
mount -t ext2 /dev/vda /mnt || { say "no ext2 disk on /dev/vda"; poweroff -f; }
mkdir -p /mnt/hvdump
O=/mnt/hvdump
sysfs() { for f in enabled registered mem_reserved hotplug_ready bootargs_append; do
  [ -r "$F/$f" ] && echo "$f: $(cat "$F/$f")"; done; }
keep() { # keep NAME: fadump_region, the sysfs files and MemTotal under NAME
  cat "$REGION" > "$O/fadump_region.$1"
  sysfs > "$O/sysfs.$1"
  grep -E '^(MemTotal|MemFree):' /proc/meminfo > "$O/meminfo.$1"
  say "$1: $(grep MemTotal /proc/meminfo | tr -s ' ') registered $(cat $F/registered)"
  sync
}
say "kernel $(uname -r) cpus $(grep -c '^processor' /proc/cpuinfo) mmu $(grep -m1 '^MMU' /proc/cpuinfo)"
if [ ! -e /proc/vmcore ]; then
  [ "$(cat $F/enabled 2>/dev/null)" = 1 ] || { say "FADump not enabled"; poweroff -f; }
  [ "$(cat $F/registered)" = 1 ] || echo 1 > $F/registered
  # shmem (user data in tmpfs), anonymous memory held by sleeping processes, zero-filled anonymous memory.
  dd if=/dev/urandom of=/dev/shm/random bs=64k count=128 2>/dev/null
  (head -c 16777216 /dev/urandom; sleep 100000) | tail -c 16777216 &
  (head -c 8388608 /dev/zero; sleep 100000) | tail -c 8388608 &
  sleep 3
  echo "hvdump fixture: a line for dmesg" > /dev/kmsg
  keep boot1
  dmesg > "$O/dmesg.boot1"
  sync
  umount /mnt
  say "crashing"
  echo c > /proc/sysrq-trigger
  say "still alive after sysrq-c"
  poweroff -f
fi
say "fadump active boot"
keep active
dmesg > "$O/dmesg.active"
# The raw copy: what /proc/vmcore holds, byte for byte; the host cuts the disk to this size.
size=$(stat -c %s /proc/vmcore)
t=$(cut -d' ' -f1 /proc/uptime)
dd if=/proc/vmcore of=/dev/vdb bs=1M 2>/dev/null
sync
say "copied /proc/vmcore: $size bytes, uptime $t -> $(cut -d' ' -f1 /proc/uptime)"
echo "$size" > "$O/vmcore.size"
echo 1 > $F/release_mem
[ -e /proc/vmcore ] && say "/proc/vmcore still there after release_mem" || say "/proc/vmcore gone after release_mem"
keep released
echo 1 > $F/registered
keep rearmed
dmesg > "$O/dmesg.released"
sync
umount /mnt
echo HVDUMP-DONE
poweroff -f
