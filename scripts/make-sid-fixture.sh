#!/usr/bin/env bash
# make-sid-fixture.sh [--no-dbg] [-m MEM] - a real x86_64 vmcore of Debian sid's cloud kernel (7.x).
#
# The host's apt is bookworm and must stay so: sid's Packages index is fetched from deb.debian.org,
# linux-image-cloud-amd64's kernel package is followed to its parts (from 7.x linux-binary-V holds
# vmlinuz under usr/lib/modules/V/, linux-modules-V the modules, linux-base-V the rest), and the .debs
# are unpacked with dpkg-deb -x, never installed. The kernel is then booted by
# ../shared/realcore/make-vmcore.sh -n x86_64-sid-<mem> --kernel VMLINUZ --modules-dir DIR.
# The -dbg package (vmlinux with DWARF, ~350 MB) is downloaded too unless --no-dbg; only its vmlinux
# is unpacked, and make-vmcore.sh records it in info.txt (vmlinux: line) for crash/drgn.
#
# Downloads are cached under $HVDUMP_CACHE/sid-debs (HVDUMP_CACHE defaults to ~/.cache/hvdump), kept
# across test runs while the fixture itself is built fresh;
# the Packages index is fetched again when older than a day, since sid moves and its pool drops
# old versions. Writes $FIXTURES/x86_64-sid-<mem>/ (see ../shared/realcore/README.md).
set -euo pipefail
MEM=512M DBG=1
while [ $# -gt 0 ]; do case "$1" in
  -m) MEM=$2; shift 2;;
  --no-dbg) DBG=0; shift;;
  *) echo "usage: $0 [-m MEM] [--no-dbg]" >&2; exit 2;;
esac; done
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=$(cd "$HERE/../../shared" && pwd)
FIX=${FIXTURES:-$HOME/.cache/hvdump-fixtures}
DEBS="${HVDUMP_CACHE:-$HOME/.cache/hvdump}/sid-debs"
# sid from the same Debian archive this machine's apt uses for bookworm: no mirror host is named here.
MIRROR=${SID_MIRROR:-$("$HERE/apt-mirror.sh" bookworm)} || { echo "no Debian mirror in the apt configuration" >&2; exit 1; }
t0=$(date +%s)
log() { echo "[$(( $(date +%s) - t0 ))s] $*"; }
mkdir -p "$DEBS"

# 1. sid's index (cached a day).
if [ -z "$(find "$DEBS/Packages" -mmin -1440 2>/dev/null)" ]; then
  curl -sSf "$MIRROR/dists/sid/main/binary-amd64/Packages.xz" | xz -dc > "$DEBS/Packages.new"
  mv "$DEBS/Packages.new" "$DEBS/Packages"
fi
# field PACKAGE FIELD: one field of one package's stanza.
field() { awk -v p="Package: $1" -v f="$2: " '$0 == p { on = 1; next } /^$/ { on = 0 }
  on && index($0, f) == 1 { print substr($0, length(f) + 1); exit }' "$DEBS/Packages"; }
image=$(field linux-image-cloud-amd64 Depends | tr ',' '\n' | sed -n 's/^ *\(linux-image-[^ ]*\).*/\1/p' | head -n1)
[ -n "$image" ] || { echo "no linux-image-cloud-amd64 in sid's index" >&2; exit 1; }
KVER=${image#linux-image-}
log "sid: $image ($(field "$image" Version))"

# fetch PACKAGE: download (once, checked against the index's SHA256) and print the .deb's path.
fetch() {
  local file sum deb
  file=$(field "$1" Filename) sum=$(field "$1" SHA256)
  [ -n "$file" ] || { echo "no $1 in sid's index" >&2; return 1; }
  deb="$DEBS/$(basename "$file")"
  if [ ! -s "$deb" ] || ! echo "$sum  $deb" | sha256sum -c --status; then
    curl -sSf -o "$deb.part" "$MIRROR/$file"
    echo "$sum  $deb.part" | sha256sum -c --status || { echo "$deb: SHA256 mismatch" >&2; return 1; }
    mv "$deb.part" "$deb"
  fi
  echo "$deb"
}

# 2. The kernel's parts, unpacked into one tree. Before 7.x the kernel was a single linux-image-V.
ROOT="$DEBS/root-$KVER"
if [ ! -d "$ROOT/usr/lib/modules/$KVER" ] && [ ! -d "$ROOT/lib/modules/$KVER" ]; then
  rm -rf "$ROOT.tmp" && mkdir -p "$ROOT.tmp"
  parts=$(field "$image" Depends | tr ',' '\n' | sed -n "s/^ *\(linux-\(binary\|modules\|base\)-$KVER\) .*/\1/p")
  [ -n "$parts" ] || parts=$image
  for p in $parts; do
    deb=$(fetch "$p")
    log "unpacking $(basename "$deb")"
    dpkg-deb -x "$deb" "$ROOT.tmp"
  done
  mv "$ROOT.tmp" "$ROOT"
fi
MODDIR=$ROOT/usr/lib/modules/$KVER
[ -d "$MODDIR" ] || MODDIR=$ROOT/lib/modules/$KVER
VMLINUZ=
for v in "$MODDIR/vmlinuz" "$ROOT/boot/vmlinuz-$KVER"; do [ -r "$v" ] && { VMLINUZ=$v; break; }; done
[ -n "$VMLINUZ" ] || { echo "no vmlinuz in $ROOT" >&2; exit 1; }
log "kernel $VMLINUZ, modules $MODDIR"

# 3. vmlinux with DWARF from the -dbg package (only that file is unpacked: the package is 2 GB installed).
VMLINUX_OPT=()
if [ "$DBG" = 1 ]; then
  VMLINUX="$DEBS/vmlinux-$KVER"
  if [ ! -s "$VMLINUX" ]; then
    deb=$(fetch "$image-dbg")
    member=$(dpkg-deb -c "$deb" | awk '{ print $NF }' | grep -E '/vmlinux(-'"$KVER"')?$' | head -n1)
    [ -n "$member" ] || { echo "no vmlinux in $deb" >&2; exit 1; }
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "$member" > "$VMLINUX.part" && mv "$VMLINUX.part" "$VMLINUX"
  fi
  log "vmlinux $VMLINUX"
  VMLINUX_OPT=(--vmlinux "$VMLINUX")
fi

# 4. Boot and dump. make-vmcore.sh names the version from the --modules-dir basename (vmlinuz has none).
NAME="x86_64-sid-$(echo "$MEM" | tr 'A-Z' 'a-z')"
FIXTURES=$FIX "$SHARED/realcore/make-vmcore.sh" -m "$MEM" -n "$NAME" --kernel "$VMLINUZ" --modules-dir "$MODDIR" "${VMLINUX_OPT[@]}"
log "done: $FIX/$NAME"
