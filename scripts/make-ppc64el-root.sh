#!/usr/bin/env bash
# make-ppc64el-root.sh - Debian's ppc64el makedumpfile, runnable here under qemu-user-static: the
# oracle for the POWER tests (Debian's x86_64 makedumpfile cannot read ppc64 dumps).
# A ppc64el root from debootstrap --arch=ppc64el --foreign (first stage only: it unpacks the base
# system without running anything), plus makedumpfile and the libraries it needs, unpacked.
# Run it as:  qemu-ppc64le-static -L ROOT ROOT/usr/bin/makedumpfile ...
# Writes $FIXTURES/ppc64el-root (FIXTURES defaults to ~/.cache/hvdump-fixtures); idempotent.
set -euo pipefail
FIX=${FIXTURES:-$HOME/.cache/hvdump-fixtures}
ROOT="$FIX/ppc64el-root"
[ -x "$ROOT/usr/bin/makedumpfile" ] && { echo "$ROOT: present"; exit 0; }
rm -rf "$ROOT" "$FIX/ppc64el-extra"
debootstrap --foreign --arch=ppc64el --variant=minbase bookworm "$ROOT" http://deb.debian.org/debian >/tmp/hvdump-debootstrap.log 2>&1 \
  || { tail -5 /tmp/hvdump-debootstrap.log >&2; exit 1; }
dpkg --print-foreign-architectures | grep -qx ppc64el || dpkg --add-architecture ppc64el
apt-get update -q >/dev/null 2>&1 || true # the security archive's ppc64el index is sometimes mid-sync
mkdir -p "$FIX/ppc64el-extra"
(cd "$FIX/ppc64el-extra" && apt-get download -q makedumpfile:ppc64el libdw1:ppc64el libelf1:ppc64el liblzo2-2:ppc64el 2>&1 | grep -v '^W:' || true)
for d in "$FIX"/ppc64el-extra/*.deb; do dpkg-deb -x "$d" "$ROOT"; done
# The loader link is absolute; qemu-user's -L prefix needs it relative to find it inside the root.
ln -sf ../lib/powerpc64le-linux-gnu/ld64.so.2 "$ROOT/lib64/ld64.so.2"
qemu-ppc64le-static -L "$ROOT" "$ROOT/usr/bin/makedumpfile" -v | head -n1
