#!/usr/bin/env bash
# make-bookworm-root.sh - a throwaway Debian 12 system for the package install/remove round trip
# (tests/Packaging/DebPackageTests.cs): debootstrap --variant=minbase bookworm with Debian's
# makedumpfile (the file hvdump-makedumpfile diverts) and man-db (so `man hvdump` is tested the way
# a user runs it), packed as $HVDUMP_CACHE/bookworm-minbase.tar.gz (HVDUMP_CACHE defaults to
# ~/.cache/hvdump). A tool made from downloads, not a fixture: kept across runs; idempotent.
# Each test run unpacks it into a new directory, so no run sees what another installed.
set -euo pipefail
cache=${HVDUMP_CACHE:-$HOME/.cache/hvdump}
tarball=$cache/bookworm-minbase.tar.gz
[ -s "$tarball" ] && [ -z "${REBUILD:-}" ] && { echo "$tarball: present (REBUILD=1 makes it again)"; exit 0; }
mkdir -p "$cache"
# The Debian mirror is whatever this machine's apt is configured with: no host is named here.
mirror=$("$(dirname "$0")/apt-mirror.sh" bookworm) || { echo "no Debian bookworm mirror in the apt configuration" >&2; exit 1; }
root=$(mktemp -d "${TMPDIR:-/var/tmp}/bookworm-root.XXXXXX")
trap 'rm -rf "$root"' EXIT
log=$cache/bookworm-root.log
debootstrap --variant=minbase --include=makedumpfile,man-db bookworm "$root" "$mirror" >"$log" 2>&1 \
  || { tail -5 "$log" >&2; exit 1; }
# Debian's makedumpfile .deb stays at /var/tmp/debs, for the test that installs it after
# hvdump-makedumpfile (the diversion must catch a makedumpfile that arrives later); nothing else of
# apt's caches is needed inside: keep the tarball small.
mkdir -p "$root/var/tmp/debs"
cp "$root"/var/cache/apt/archives/makedumpfile_*.deb "$root/var/tmp/debs/"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
chroot "$root" makedumpfile -v | head -n1
tar -C "$root" --numeric-owner -czf "$tarball.tmp" .
mv "$tarball.tmp" "$tarball"
echo "$tarball"
