#!/usr/bin/env bash
# make-arm64-root.sh - Debian's arm64 makedumpfile (bookworm, 1.7.2), runnable here under
# qemu-user-static: the oracle for the arm64 fixtures (scripts/make-arm64-fixture.sh), since
# Debian's x86_64 makedumpfile filters only dumps of its own architecture.
# An arm64 root from debootstrap --arch=arm64 --foreign (first stage only: it unpacks the base
# system without running anything, so no arm64 code runs while it is built), plus makedumpfile
# and the libraries it needs that minbase lacks, unpacked with dpkg-deb -x (never configured).
# Run it as:  qemu-aarch64-static -L ROOT ROOT/usr/bin/makedumpfile ...
# Writes $HVDUMP_CACHE/arm64-root (HVDUMP_CACHE defaults to ~/.cache/hvdump): a tool made from
# downloads, not a fixture, so it is kept across test runs; idempotent.
#
# make-arm64-root.sh sid: the same from Debian sid (makedumpfile 1.7.8) into $HVDUMP_CACHE/arm64-sid-root,
# the oracle for the 6.12 arm64-16k fixture (1.7.2 predates the kernels that fixture's layout
# needs). bookworm's apt has no sid indexes, so debootstrap fetches makedumpfile and its
# dependencies (--include) beside the base system, and they are unpacked from its download cache.
set -euo pipefail
SUITE=${1:-bookworm}
case "$SUITE" in bookworm|sid) ;; *) echo "usage: $0 [sid]" >&2; exit 2;; esac
FIX=${HVDUMP_CACHE:-$HOME/.cache/hvdump}
ROOT="$FIX/arm64-root" EXTRA="$FIX/arm64-extra" LOG="$FIX/debootstrap-arm64.log"
[ "$SUITE" = sid ] && ROOT="$FIX/arm64-sid-root" EXTRA="$FIX/arm64-sid-root/var/cache/apt/archives" LOG="$FIX/debootstrap-arm64-sid.log"
# makedumpfile's Depends beyond what minbase unpacks (libc6 and zlib1g are in it).
PKGS=(makedumpfile libdw1 libelf1 liblzo2-2)
[ -x "$ROOT/usr/bin/makedumpfile" ] && { echo "$ROOT: present"; exit 0; }
command -v qemu-aarch64-static >/dev/null || { echo "missing qemu-aarch64-static (apt-get install qemu-user-static)" >&2; exit 1; }
rm -rf "$ROOT" "$EXTRA"
mkdir -p "$FIX"
# The Debian mirror is whatever this machine's apt is configured with (the same archive serves sid):
# no host is named here.
mirror=$("$(dirname "$0")/apt-mirror.sh" bookworm) || { echo "no Debian bookworm mirror in the apt configuration" >&2; exit 1; }
if [ "$SUITE" = sid ]; then
  # Unpacked below with every other download, base packages too: the first stage leaves no dpkg
  # database to tell which it unpacked, and unpacking one twice writes the same files.
  debootstrap --foreign --arch=arm64 --variant=minbase --include=makedumpfile sid "$ROOT" "$mirror" \
    /usr/share/debootstrap/scripts/sid >"$LOG" 2>&1 || { tail -5 "$LOG" >&2; exit 1; }
  ls "$EXTRA"/makedumpfile_*_arm64.deb >/dev/null 2>&1 || { echo "debootstrap did not fetch makedumpfile (see $LOG)" >&2; exit 1; }
else
debootstrap --foreign --arch=arm64 --variant=minbase bookworm "$ROOT" "$mirror" >"$LOG" 2>&1 \
  || { tail -5 "$LOG" >&2; exit 1; }
mkdir -p "$EXTRA"
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
# Without arm64 indexes apt cannot name the packages; the security archive's arm64 index is
# sometimes mid-sync, and makedumpfile comes from main, so a partial update is good enough.
apt-cache show makedumpfile:arm64 >/dev/null 2>&1 || apt-get update -q >/dev/null 2>&1 || true
(cd "$EXTRA" && apt-get download -q "${PKGS[@]/%/:arm64}" 2>&1 | grep -v '^W:' || true)
for p in "${PKGS[@]}"; do ls "$EXTRA/${p}_"*_arm64.deb >/dev/null 2>&1 || { echo "apt-get download $p:arm64 failed" >&2; exit 1; }; done
fi
# tar's --keep-directory-symlink: the root is merged-/usr (lib -> usr/lib) and liblzo2-2 still
# ships /lib/aarch64-linux-gnu; plain dpkg-deb -x would replace the lib link by a directory and
# lose the loader behind it.
for d in "$EXTRA"/*.deb; do dpkg-deb --fsys-tarfile "$d" | tar -x --keep-directory-symlink -C "$ROOT"; done
# qemu-user's -L prefix resolves the loader path /lib/ld-linux-aarch64.so.1 inside the root, and
# any absolute link on the way would lead out of it to the host's files: make it relative.
ld="$ROOT/usr/lib/ld-linux-aarch64.so.1"
[ -e "$ROOT/usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" ] || { echo "no ld-linux-aarch64.so.1 in $ROOT" >&2; exit 1; }
case "$(readlink "$ld" || true)" in /*|'') ln -sf aarch64-linux-gnu/ld-linux-aarch64.so.1 "$ld";; esac
qemu-aarch64-static -L "$ROOT" "$ROOT/usr/bin/makedumpfile" -v | head -n1
