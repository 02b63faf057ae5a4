#!/usr/bin/env bash
# make-ppc64el-root.sh [forky] - Debian's ppc64el makedumpfile, runnable here under
# qemu-user-static: the oracle for the POWER tests (Debian's x86_64 makedumpfile cannot read ppc64
# dumps). Bookworm's (1.7.2) by default; with `forky`, forky's (1.7.8: reads 6.12 dumps that 1.7.2
# cannot, and prints the dmesg caller column), for the FADump fixture (issue 20).
# A ppc64el root from debootstrap --arch=ppc64el --foreign (first stage only: it unpacks the base
# system without running anything), plus makedumpfile and the libraries it needs, unpacked.
# Run it as:  qemu-ppc64le-static -L ROOT ROOT/usr/bin/makedumpfile ...
# Writes $HVDUMP_CACHE/ppc64el-root (forky: ppc64el-root-forky; HVDUMP_CACHE defaults to
# ~/.cache/hvdump): a tool made from downloads, not a fixture, so it is kept across test runs;
# idempotent. Forky's packages are downloaded with the forky amd64 chroot's apt
# (scripts/make-fadump-fixture.sh --only root makes it), as this machine's apt knows bookworm only.
set -euo pipefail
SUITE=${1:-bookworm}
FIX=${HVDUMP_CACHE:-$HOME/.cache/hvdump}
case "$SUITE" in
  bookworm) ROOT="$FIX/ppc64el-root" EXTRA="$FIX/ppc64el-extra" LOG="$FIX/debootstrap.log"
            PKGS=(makedumpfile libdw1 libelf1 liblzo2-2);;
  forky) ROOT="$FIX/ppc64el-root-forky" EXTRA="$FIX/ppc64el-extra-forky" LOG="$FIX/debootstrap-forky.log"
         PKGS=(makedumpfile libdw1t64 libelf1t64 liblzo2-2 libzstd1);;
  *) echo "usage: $0 [forky]" >&2; exit 2;;
esac
[ -x "$ROOT/usr/bin/makedumpfile" ] && { echo "$ROOT: present"; exit 0; }
rm -rf "$ROOT" "$EXTRA"
mkdir -p "$FIX"
# The Debian mirror is whatever this machine's apt is configured with: no host is named here.
mirror=$("$(dirname "$0")/apt-mirror.sh" bookworm) || { echo "no Debian bookworm mirror in the apt configuration" >&2; exit 1; }
script=(); [ "$SUITE" = forky ] && script=(/usr/share/debootstrap/scripts/sid) # bookworm's debootstrap has no forky script
debootstrap --foreign --arch=ppc64el --variant=minbase "$SUITE" "$ROOT" "$mirror" "${script[@]}" >"$LOG" 2>&1 \
  || { tail -5 "$LOG" >&2; exit 1; }
mkdir -p "$EXTRA"
if [ "$SUITE" = bookworm ]; then
  dpkg --print-foreign-architectures | grep -qx ppc64el || dpkg --add-architecture ppc64el
  apt-get update -q >/dev/null 2>&1 || true # the security archive's ppc64el index is sometimes mid-sync
  (cd "$EXTRA" && apt-get download -q "${PKGS[@]/%/:ppc64el}" 2>&1 | grep -v '^W:' || true)
else
  CH="$FIX/forky-root"
  [ -x "$CH/usr/bin/apt-get" ] || { echo "no forky chroot at $CH (scripts/make-fadump-fixture.sh --only root)" >&2; exit 1; }
  chroot "$CH" dpkg --print-foreign-architectures | grep -qx ppc64el || chroot "$CH" dpkg --add-architecture ppc64el
  chroot "$CH" apt-get update -q >/dev/null 2>&1 || true
  rm -rf "$CH/tmp/debs" && mkdir -p "$CH/tmp/debs"
  chroot "$CH" sh -c "cd /tmp/debs && apt-get download -q ${PKGS[*]/%/:ppc64el}" 2>&1 | grep -v '^W:' || true
  mv "$CH"/tmp/debs/*.deb "$EXTRA/" && rm -rf "$CH/tmp/debs"
fi
for d in "$EXTRA"/*.deb; do dpkg-deb -x "$d" "$ROOT"; done
# The loader link is absolute; qemu-user's -L prefix needs it relative to find it inside the root.
ln -sf ../lib/powerpc64le-linux-gnu/ld64.so.2 "$ROOT/lib64/ld64.so.2"
qemu-ppc64le-static -L "$ROOT" "$ROOT/usr/bin/makedumpfile" -v | head -n1
