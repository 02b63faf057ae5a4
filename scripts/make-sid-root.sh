#!/usr/bin/env bash
# make-sid-root.sh - Debian sid's crash (9.x), drgn (0.3) and libkdumpfile, the oracles for dumps of sid's
# 7.x kernel (tests/EndToEnd/SidKernelTests.cs). Bookworm's crash 8.0.2 and drgn 0.0.22 predate 7.x's
# struct page; the host's apt must stay bookworm, so sid lives in a debootstrap --variant=minbase root
# at $HVDUMP_CACHE/sid-root (HVDUMP_CACHE defaults to ~/.cache/hvdump), run with scripts/in-sid-root.sh.
# A tool made from downloads, not a fixture: kept across runs; idempotent (REBUILD=1 makes it again).
# debootstrap resolves no virtual packages: python3-cffi-backend provides the cffi API libkdumpfile needs.
set -euo pipefail
cache=${HVDUMP_CACHE:-$HOME/.cache/hvdump}
root=$cache/sid-root
check() { [ -x "$root/usr/bin/crash" ] && chroot "$root" python3 -c 'import drgn, kdumpfile' 2>/dev/null; }
if [ -z "${REBUILD:-}" ] && check; then
  echo "$root: present ($(chroot "$root" crash --version 2>/dev/null | sed -n 's/^crash \([0-9.]*\).*/crash \1/p' | head -n1)," \
    "drgn $(chroot "$root" python3 -c 'import drgn; print(drgn.__version__)'))"
  exit 0
fi
mkdir -p "$cache"
# The Debian mirror is whatever this machine's apt is configured with: no host is named here. The same
# archive serves sid.
mirror=$("$(dirname "$0")/apt-mirror.sh" bookworm) || { echo "no Debian mirror in the apt configuration" >&2; exit 1; }
tmp=$(mktemp -d "$cache/sid-root.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log=$cache/sid-root.log
debootstrap --variant=minbase --include=crash,python3-drgn,python3-libkdumpfile,python3-cffi-backend sid "$tmp" "$mirror" \
  /usr/share/debootstrap/scripts/sid >"$log" 2>&1 || { tail -5 "$log" >&2; exit 1; }
rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*
rm -rf "$root"
mv "$tmp" "$root"
trap - EXIT
check || { echo "$root: crash or drgn/kdumpfile missing after debootstrap (see $log)" >&2; exit 1; }
echo "$root"
