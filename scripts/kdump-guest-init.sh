#!/bin/sh
# /init of the kdump capture fixture (scripts/make-kdump-fixture.sh), busybox ash, PID 1. One
# initramfs serves both kernels and branches on /proc/vmcore, as distro kdump initrds do:
#  - first kernel: builds a memory mix, loads the capture kernel with kexec -p (kexec_load) or
#    kexec -s -p (kexec_file_load), and crashes with sysrq-c;
#  - capture kernel: runs every line of runs.txt (from the OUT disk) against /proc/vmcore one
#    after another, each timed with its peak RSS by GNU time, caches dropped before each, writes
#    results.txt and the outputs to the OUT disk, and powers off.
# Knobs on the first kernel's command line: hv.load=load|file, hv.nrcpus=N (capture kernel),
# hv.cache/dirty/shm/anon/zero=MB (memory mix).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
umask 022
say() { echo "HVDUMP: $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/shm /mnt/out /mnt/data /tmp
mount -t tmpfs -o size=90% shm /dev/shm

LOAD=load NRCPUS=1 CACHE=0 DIRTY=0 SHM=0 ANON=0 ZERO=0
for a in $(cat /proc/cmdline); do
  case "$a" in
    hv.load=*) LOAD=${a#hv.load=} ;;
    hv.nrcpus=*) NRCPUS=${a#hv.nrcpus=} ;;
    hv.cache=*) CACHE=${a#hv.cache=} ;;
    hv.dirty=*) DIRTY=${a#hv.dirty=} ;;
    hv.shm=*) SHM=${a#hv.shm=} ;;
    hv.anon=*) ANON=${a#hv.anon=} ;;
    hv.zero=*) ZERO=${a#hv.zero=} ;;
  esac
done

# The disks carry labels (OUT: kernel, initrd, runs, results; DATA: the page-cache file).
disk() { findfs "LABEL=$1" 2>/dev/null; }
i=0
while [ -z "$(disk OUT)" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done

if [ -e /proc/vmcore ]; then
  say "capture kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPU(s), $(sed -n 's/MemTotal: *//p' /proc/meminfo)"
  mount -t ext4 "$(disk OUT)" /mnt/out || { say "ERROR: cannot mount OUT"; poweroff -f; }
  R=/mnt/out/results.txt
  : > "$R"
  ls -l /proc/vmcore >> /mnt/out/vmcore.ls
  cat /proc/meminfo > /mnt/out/capture-meminfo.txt
  # One run per line: NAME<space>COMMAND (sh -c), with @VMCORE@ and @OUT@ substituted.
  while read -r name cmd; do
    case "$name" in ''|'#'*) continue ;; esac
    cmd=$(echo "$cmd" | sed "s|@VMCORE@|/proc/vmcore|g; s|@OUT@|/mnt/out|g")
    sync; echo 3 > /proc/sys/vm/drop_caches
    say "run $name: $cmd"
    /usr/bin/time -o /tmp/time -f "%e %M" sh -c "$cmd" > "/mnt/out/$name.stdout" 2> "/mnt/out/$name.stderr"
    rc=$?
    sync
    echo "$name rc=$rc seconds=$(cut -d' ' -f1 /tmp/time | tail -n1) maxrss_kib=$(cut -d' ' -f2 /tmp/time | tail -n1)" | tee -a "$R"
  done < /mnt/out/runs.txt
  dmesg > /mnt/out/capture-dmesg.txt
  say "capture done"
  sync
  umount /mnt/out
  poweroff -f
fi

say "first kernel $(uname -r) load=$LOAD capture nr_cpus=$NRCPUS cache=${CACHE}M dirty=${DIRTY}M shm=${SHM}M anon=${ANON}M zero=${ZERO}M"
mount -t ext4 -o ro "$(disk OUT)" /mnt/out || { say "ERROR: cannot mount OUT"; poweroff -f; }
# Page cache: clean pages read from the DATA disk, dirty pages written to it and left dirty.
if mount -t ext4 "$(disk DATA)" /mnt/data; then
  [ "$CACHE" -gt 0 ] && dd if=/mnt/data/random.bin of=/dev/null bs=1M count="$CACHE" 2>/dev/null
  [ "$DIRTY" -gt 0 ] && dd if=/dev/urandom of=/mnt/data/dirty.bin bs=1M count="$DIRTY" 2>/dev/null
fi
[ "$SHM" -gt 0 ] && dd if=/dev/urandom of=/dev/shm/shm.bin bs=1M count="$SHM" 2>/dev/null
# Anonymous memory held by busybox tail (random and zero-filled); the producer never closes the pipe.
[ "$ANON" -gt 0 ] && { { head -c $((ANON * 1048576)) /dev/urandom; exec sleep 2147483647; } | tail -c $((ANON * 1048576)) > /dev/null & }
[ "$ZERO" -gt 0 ] && { { head -c $((ZERO * 1048576)) /dev/zero; exec sleep 2147483647; } | tail -c $((ZERO * 1048576)) > /dev/null & }
sleep 3
append="console=ttyS0 reset_devices nr_cpus=$NRCPUS irqpoll nousb panic=-1"
if [ "$LOAD" = file ]; then flag="-s -p"; else flag="-p"; fi
# shellcheck disable=SC2086
if ! kexec $flag /mnt/out/boot/vmlinuz --initrd=/mnt/out/boot/initrd.img --append="$append"; then
  say "ERROR: kexec $flag failed"; poweroff -f
fi
say "kexec_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded) crashkernel=$(cat /sys/kernel/kexec_crash_size)"
cat /proc/meminfo > /dev/console
umount /mnt/out
echo 1 > /proc/sys/kernel/sysrq
say "crashing with sysrq-c"
echo c > /proc/sysrq-trigger
sleep 60
poweroff -f
