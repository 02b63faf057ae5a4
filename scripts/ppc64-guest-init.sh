#!/bin/sh
# /init of the ppc64le fixture's initramfs (busybox ash, PID 1 in a pseries guest).
# Builds a small memory mix of every page class the dump levels tell apart, prints where the
# kernel keeps its VMCOREINFO note (pseries has no vmcoreinfo device, so the host recovers the
# note from the dump at that address), then HVDUMP-READY, and idles for the host's QMP dump.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/shm /tmp
mount -t tmpfs -o size=50% shm /dev/shm
say() { echo "HVDUMP: $*"; }
say "kernel $(uname -r) cpus $(grep -c '^processor' /proc/cpuinfo) mmu $(grep -m1 '^MMU' /proc/cpuinfo)"
say "vmcoreinfo $(cat /sys/kernel/vmcoreinfo)"
# shmem (user data in tmpfs), anonymous memory held by sleeping processes, zero-filled anonymous memory.
dd if=/dev/urandom of=/dev/shm/random bs=64k count=128 2>/dev/null
head -c 12582912 /dev/urandom | tail -c 12582912 > /dev/null &
(head -c 16777216 /dev/urandom; sleep 100000) | tail -c 16777216 &
(head -c 8388608 /dev/zero; sleep 100000) | tail -c 8388608 &
sleep 3
echo "hvdump fixture: a line for dmesg" > /dev/kmsg
grep -E '^(MemTotal|MemFree|AnonPages|Cached|Shmem):' /proc/meminfo | sed 's/^/HVDUMP: /'
echo HVDUMP-READY
while :; do sleep 1000; done
