#!/usr/bin/env bash
# make-ppc64el-root.sh - Debian's ppc64el makedumpfile, runnable here under qemu-user-static: the
# oracle for the POWER tests (Debian's x86_64 makedumpfile cannot read ppc64 dumps).
# A ppc64el root from debootstrap --arch=ppc64el --foreign (first stage only: it unpacks the base
# system without running anything), plus makedumpfile and the libraries it needs, unpacked.
# Run it as:  qemu-ppc64le-static -L ROOT ROOT/usr/bin/makedumpfile ...
# Writes $HVDUMP_CACHE/ppc64el-root (HVDUMP_CACHE defaults to ~/.cache/hvdump): a tool made from
# downloads, not a fixture, so it is kept across test runs; idempotent.
set -euo pipefail
FIX=${HVDUMP_CACHE:-$HOME/.cache/hvdump}
ROOT="$FIX/ppc64el-root"
[ -x "$ROOT/usr/bin/makedumpfile" ] && { echo "$ROOT: present"; exit 0; }
rm -rf "$ROOT" "$FIX/ppc64el-extra"
mkdir -p "$FIX"
# The Debian mirror is whatever this machine's apt is configured with: no host is named here.
mirror=$("$(dirname "$0")/apt-mirror.sh" bookworm) || { echo "no Debian bookworm mirror in the apt configuration" >&2; exit 1; }
debootstrap --foreign --arch=ppc64el --variant=minbase bookworm "$ROOT" "$mirror" >"$FIX/debootstrap.log" 2>&1 \
  || { tail -5 "$FIX/debootstrap.log" >&2; exit 1; }
dpkg --print-foreign-architectures | grep -qx ppc64el || dpkg --add-architecture ppc64el
apt-get update -q >/dev/null 2>&1 || true # the security archive's ppc64el index is sometimes mid-sync
mkdir -p "$FIX/ppc64el-extra"
(cd "$FIX/ppc64el-extra" && apt-get download -q makedumpfile:ppc64el libdw1:ppc64el libelf1:ppc64el liblzo2-2:ppc64el 2>&1 | grep -v '^W:' || true)
for d in "$FIX"/ppc64el-extra/*.deb; do dpkg-deb -x "$d" "$ROOT"; done
# The loader link is absolute; qemu-user's -L prefix needs it relative to find it inside the root.
ln -sf ../lib/powerpc64le-linux-gnu/ld64.so.2 "$ROOT/lib64/ld64.so.2"
qemu-ppc64le-static -L "$ROOT" "$ROOT/usr/bin/makedumpfile" -v | head -n1
