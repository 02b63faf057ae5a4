#!/usr/bin/env bash
# in-sid-root.sh CMD [ARG...] - runs CMD inside the sid root of scripts/make-sid-root.sh, in a private
# mount namespace where every absolute path among the arguments is visible at its own path (its
# directory bind-mounted), and /proc, /dev and a fresh /tmp are there. So a test can hand sid's
# crash or python3 the host's files without copying a vmcore into the root. Exit status is CMD's.
set -euo pipefail
root=${HVDUMP_SID_ROOT:-${HVDUMP_CACHE:-$HOME/.cache/hvdump}/sid-root}
[ -x "$root/usr/bin/crash" ] || { echo "no sid root at $root (scripts/make-sid-root.sh)" >&2; exit 1; }
dirs=()
for a in "$@"; do
  case "$a" in /*) ;; *) continue;; esac
  d=$a; [ -d "$d" ] || d=$(dirname "$a")
  [ -d "$d" ] && dirs+=("$(realpath "$d")")
done
# The child shell gets the list in its arguments; it mounts each directory once, at its own path.
exec unshare --mount --propagation private bash -c '
  root=$1; shift; n=$1; shift
  mount -t tmpfs tmpfs "$root/tmp"   # first, so a directory under /tmp is bound on top of it
  for ((i = 0; i < n; i++)); do
    d=$1; shift
    mountpoint -q "$root$d" && continue
    mkdir -p "$root$d" && mount --bind "$d" "$root$d"
  done
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  exec chroot "$root" "$@"
' in-sid-root "$root" "${#dirs[@]}" "${dirs[@]}" "$@"
