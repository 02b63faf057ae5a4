#!/usr/bin/env bash
# make-debian-kdump-image.sh - a real Debian 12 kdump, end to end, through the distro's own path:
# a debootstrapped Debian 12 disk image (systemd, linux-image-cloud-amd64, kdump-tools) with our two
# packages installed by dpkg -i, booted under QEMU (TCG) with crashkernel=256M. kdump-tools.service
# loads the capture kernel as on any Debian machine; a one-shot unit crashes the machine (sysrq-c)
# once `kdump-config status` says ready; the capture kernel runs kdump-tools-dump.service ->
# kdump-config savecore -> /usr/bin/makedumpfile (hvdump, through hvdump-makedumpfile's diversion)
# and writes /var/crash/<stamp>/dump.<stamp> and dmesg.<stamp>; QEMU exits at its reboot.
#
# usage: scripts/make-debian-kdump-image.sh [--without-dropin] OUTDIR
#   --without-dropin  the same image with hvdump-makedumpfile removed (dpkg -r): Debian's makedumpfile runs
# OUTDIR receives: console.log (every console line stamped with host seconds since boot), timing.txt
# (crash-to-dump-written and the makedumpfile step, from those stamps), crash/ (the image's
# /var/crash, read back with debugfs), dpkg.txt (what the image had installed), vmlinuz, run.txt.
#
# The Debian root (debootstrap, ~450 MB unpacked) is made once and kept in
# $HVDUMP_CACHE/debian-kdump (default ~/.cache/hvdump): downloads, not a fixture. The disk image is
# made fresh from it on every run. The packages come from artifacts/ (scripts/build-deb.sh builds them).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dropin=1
[ "${1:-}" = --without-dropin ] && { dropin=0; shift; }
out=${1:?usage: make-debian-kdump-image.sh [--without-dropin] OUTDIR}
mkdir -p "$out"; out=$(cd "$out" && pwd)
cache=${HVDUMP_CACHE:-$HOME/.cache/hvdump}/debian-kdump
mkdir -p "$cache"
base=$cache/bookworm-kdump-root.tar
t0=$(date +%s)

# In a private mount namespace: the chroot's /proc, /sys and /dev go away with the script, whatever happens.
in_chroot() { unshare -m sh -c 'mount -t proc proc "$1/proc" && mount -t sysfs sys "$1/sys" && mount --bind /dev "$1/dev" && shift && chroot "$@"' \
  sh "$1" "$@"; }

if [ ! -f "$base" ]; then
  echo "debian-kdump: building the Debian 12 root (debootstrap; kept in $cache)"
  mirror=$("$root/scripts/apt-mirror.sh" bookworm) || { echo "no Debian bookworm mirror in the apt configuration" >&2; exit 1; }
  work=$(mktemp -d "${TMPDIR:-/var/tmp}/hvdump-debroot.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  r=$work/root
  # systemd first; the kernel and kdump-tools once the image has this machine's apt sources (updates
  # and security too: the kernel then is the one whose debug vmlinux the host has) and the
  # initramfs configuration below exists.
  debootstrap --variant=minbase --include=systemd-sysv,udev,kmod,procps,initramfs-tools,kexec-tools,man-db \
    bookworm "$r" "$mirror" >"$cache/debootstrap-kdump.log" 2>&1 || { tail -20 "$cache/debootstrap-kdump.log" >&2; exit 1; }
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && grep -q bookworm "$f" && cp "$f" "$r$f"
  done
  # The cloud kernel has NVMe and ext4 built in: an initramfs needs no modules, and MODULES=list
  # keeps kdump-tools' hook from switching to MODULES=dep, which cannot find the root device in a chroot.
  echo MODULES=list > "$r/etc/initramfs-tools/conf.d/hvdump-image"
  printf 'kexec-tools kexec-tools/load_kexec boolean false\nkdump-tools kdump-tools/use_kdump boolean true\n' > "$r/tmp/preseed"
  in_chroot "$r" debconf-set-selections /tmp/preseed
  { in_chroot "$r" apt-get update -q && in_chroot "$r" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      linux-image-cloud-amd64 kdump-tools makedumpfile; } >>"$cache/debootstrap-kdump.log" 2>&1 \
    || { tail -20 "$cache/debootstrap-kdump.log" >&2; exit 1; }
  in_chroot "$r" update-initramfs -u -k all >>"$cache/debootstrap-kdump.log" 2>&1
  # The kernel was configured before kdump-tools, so its postinst.d hook did not make the capture
  # initrd: make it here, as a later kernel upgrade would, rather than at first boot under TCG.
  kv=$(ls "$r/lib/modules" | sort -V | tail -n1)
  { in_chroot "$r" /etc/kernel/postinst.d/kdump-tools "$kv" && in_chroot "$r" kdump-config symlinks "$kv"; } \
    >>"$cache/debootstrap-kdump.log" 2>&1 || { tail -20 "$cache/debootstrap-kdump.log" >&2; exit 1; }
  rm -f "$r/tmp/preseed"
  in_chroot "$r" apt-get clean
  echo /dev/nvme0n1 / ext4 defaults 0 1 > "$r/etc/fstab"
  echo hvdump-kdump-test > "$r/etc/hostname"
  sed -i 's/^USE_KDUMP=.*/USE_KDUMP=1/' "$r/etc/default/kdump-tools"
  mkdir -p "$r/var/log/journal" # the capture kernel's journal is kept on disk as well as on the console
  # The crash, on purpose, once kdump-tools says it is ready; never in the capture kernel itself.
  cat > "$r/usr/local/sbin/hvdump-test-crash" <<'EOS'
#!/bin/sh
for i in $(seq 600); do
  kdump-config status 2>/dev/null | grep -q 'ready to kdump' && break
  sleep 1
done
kdump-config status > /dev/console 2>&1
sync
echo "HVDUMP-TEST: crashing now" > /dev/console
echo 1 > /proc/sys/kernel/sysrq
echo c > /proc/sysrq-trigger
EOS
  chmod 755 "$r/usr/local/sbin/hvdump-test-crash"
  cat > "$r/etc/systemd/system/hvdump-test-crash.service" <<'EOS'
[Unit]
Description=Crash on purpose once kdump is ready (HvDumpKit's end-to-end kdump test)
After=kdump-tools.service
ConditionPathExists=!/proc/vmcore

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/hvdump-test-crash
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
EOS
  ln -sf /etc/systemd/system/hvdump-test-crash.service "$r/etc/systemd/system/multi-user.target.wants/hvdump-test-crash.service"
  tar -C "$r" -cf "$base.new" . && mv "$base.new" "$base"
  rm -rf "$work"; trap - EXIT
fi

# The packages: ours, as a user installs them, built from this commit (build-deb.sh publishes again when the binary is older).
"$root/scripts/build-deb.sh" >"$out/build-deb.log" 2>&1 || { tail -20 "$out/build-deb.log" >&2; exit 1; }
mapfile -t debs < <(tail -n2 "$out/build-deb.log")
for d in "${debs[@]}"; do [ -f "$d" ] || { echo "build-deb.sh did not name a package: $d" >&2; exit 1; }; done

work=$(mktemp -d "${TMPDIR:-/var/tmp}/hvdump-debimg.XXXXXX")
trap 'rm -rf "$work"' EXIT
r=$work/root
mkdir "$r" && tar -C "$r" -xf "$base"
cp "${debs[@]}" "$r/tmp/"
in_chroot "$r" sh -c 'dpkg -i /tmp/*.deb' >"$out/dpkg-install.log" 2>&1 || { cat "$out/dpkg-install.log" >&2; exit 1; }
if [ $dropin = 0 ]; then
  in_chroot "$r" dpkg -r hvdump-makedumpfile >>"$out/dpkg-install.log" 2>&1 || { cat "$out/dpkg-install.log" >&2; exit 1; }
fi
rm -f "$r"/tmp/*.deb
in_chroot "$r" dpkg-query -W -f '${Package} ${Version} ${Status}\n' hvdump hvdump-makedumpfile makedumpfile kdump-tools \
  linux-image-cloud-amd64 >"$out/dpkg.txt" 2>/dev/null || true
in_chroot "$r" makedumpfile -v >"$out/makedumpfile-v.txt" 2>&1 || true
kver=$(ls "$r/lib/modules" | sort -V | tail -n1)
cp "$r/boot/vmlinuz-$kver" "$out/vmlinuz"; cp "$r/boot/initrd.img-$kver" "$work/initrd.img"
img=$work/disk.img
truncate -s 3G "$img"
mke2fs -q -t ext4 -d "$r" -L hvdump-root "$img"
rm -rf "$r"
echo "debian-kdump: image ready in $(( $(date +%s) - t0 )) s (kernel $kver, drop-in $([ $dropin = 1 ] && echo installed || echo removed))"

# The boot: the console goes through a stamper, so every line carries host seconds since QEMU started.
t1=$(date +%s)
set +e
timeout 1500 qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m 1G -smp 1 -nographic -no-reboot -monitor none \
  -kernel "$out/vmlinuz" -initrd "$work/initrd.img" \
  -append "root=/dev/nvme0n1 rw console=ttyS0 crashkernel=256M panic=5 systemd.show_status=1" \
  -drive if=none,id=d0,file="$img",format=raw -device nvme,drive=d0,serial=hvdump0 \
  | python3 -u -c '
import sys, time
t0 = time.monotonic()
out = open(sys.argv[1], "w")
for raw in sys.stdin.buffer:
    line = raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", "")
    out.write("%9.3f %s\n" % (time.monotonic() - t0, line)); out.flush()
' "$out/console.log"
rc=${PIPESTATUS[0]}
set -e
echo "qemu_exit=$rc boot_seconds=$(( $(date +%s) - t1 ))" > "$out/run.txt"

# What the capture wrote, read back from the image without mounting it.
rm -rf "$out/crash"
debugfs -R "rdump /var/crash $out" "$img" >/dev/null 2>&1 || true
# The capture kernel's journal, when it reached the disk.
debugfs -R "rdump /var/log/journal $work" "$img" >/dev/null 2>&1 || true
if [ -d "$work/journal" ]; then
  journalctl -D "$work/journal" -o short-monotonic --no-pager >"$out/journal.txt" 2>/dev/null || true
fi

# Crash to dump written: the trigger's marker to kdump-config's "saved vmcore" line, both host-stamped.
awk '
  /HVDUMP-TEST: crashing now/ && !c { c = $1 }
  /running makedumpfile -F/ && !m { m = $1 }
  /saved vmcore in/ && !s { s = $1 }
  END {
    if (!c || !s) { print "complete=0"; exit }
    printf "complete=1\ncrash_to_dump_written=%.1f\nmakedumpfile_step=%.1f\n", s - c, m ? s - m : -1
  }' "$out/console.log" > "$out/timing.txt"
echo "dropin=$dropin" >> "$out/timing.txt"
cat "$out/run.txt" "$out/timing.txt"
grep -q complete=1 "$out/timing.txt" || { echo "debian-kdump: no dump was saved; see $out/console.log" >&2; exit 1; }
