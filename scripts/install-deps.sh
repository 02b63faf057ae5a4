#!/usr/bin/env bash
# Installs what the test suite needs on Debian 12 (run as root; a no-op when all is present):
# the real consumers (crash, makedumpfile, libkdumpfile, drgn), QEMU and a Debian kernel with its
# debug vmlinux for real vmcore fixtures, liblzo2 for the LZO codec, hyperfine for bench/; and for
# the Debian packages (scripts/build-deb.sh, tests/Packaging): dpkg-dev (dpkg-shlibdeps), lintian,
# man-db (man -l), systemd (systemd-analyze verify).
set -euo pipefail
pkgs=(makedumpfile crash qemu-system-x86 linux-image-cloud-amd64 busybox-static cpio e2fsprogs
      python3-libkdumpfile python3-drgn liblzo2-2 libdeflate0 hyperfine binutils time kexec-tools
      qemu-system-ppc qemu-system-arm qemu-user-static debootstrap gcc-powerpc64le-linux-gnu flex bison bc libssl-dev libelf-dev make xz-utils liblzo2-dev libdeflate-dev zlib1g-dev age
      dpkg-dev lintian man-db systemd)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "$(id -u)" != 0 ] && [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
kver=$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/.*Depends: linux-image-//p' | head -n1)
if [ -n "$kver" ] && ! dpkg -s "linux-image-$kver-dbg" >/dev/null 2>&1; then
  apt-get install -y -q --no-install-recommends "linux-image-$kver-dbg"
fi
# Debian's kdump-tools, unpacked (not installed: its postinst would set up kdump on this host),
# for the test that runs its `kdump-config savecore` against hvdump.
kt=${HVDUMP_CACHE:-$HOME/.cache/hvdump}/kdump-tools
if [ ! -x "$kt/usr/sbin/kdump-config" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -q kdump-tools >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get download -q kdump-tools; })
  mkdir -p "$kt" && dpkg-deb -x "$tmp"/kdump-tools_*.deb "$kt"
  rm -rf "$tmp"
fi
