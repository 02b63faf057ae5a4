#!/usr/bin/env bash
# bench/capture.sh [CONFIG...] - hvdump against makedumpfile where it really runs: inside a real
# kexec capture kernel, on the kernel's own /proc/vmcore, both tools in the same boot one after
# another (caches dropped between runs), timed with their peak RSS (scripts/make-kdump-fixture.sh).
# A benchmark, not a test: it prints ratios from the same boot, it asserts nothing.
#
# CONFIG is LOAD:CRASHKERNEL:NRCPUS, LOAD load (kexec_load) or file (kexec_file_load); default:
#   load:192M:1 file:192M:1 load:256M:1 load:256M:2
# Each config is one boot of a 1 GiB guest under QEMU TCG (a few minutes on a quiet 2-core host).
# Needs the published binary (scripts/publish.sh). Outputs go to $FIXTURES/bench-capture-CONFIG.
set -euo pipefail
cd "$(dirname "$0")/.."
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(load:192M:1 file:192M:1 load:256M:1 load:256M:2)
[ -x artifacts/publish/linux-x64/hvdump ] || scripts/publish.sh >/dev/null
FIX=${FIXTURES:-$HOME/.cache/hvdump-fixtures}
# seconds and peak RSS (KiB) of run NAME in results.txt of DIR
sec() { sed -n "s/^$2 rc=0 seconds=\([0-9.]*\) .*/\1/p" "$1/results.txt"; }
rss() { sed -n "s/^$2 rc=0 .* maxrss_kib=\([0-9]*\)/\1/p" "$1/results.txt"; }
row() { # LABEL DIR THEIRS OURS: makedumpfile (or cp) s, hvdump s, ratio (>1: hvdump faster), RSS MiB both
  local t o
  t=$(sec "$2" "$3"); o=$(sec "$2" "$4")
  if [ -z "$t" ] || [ -z "$o" ]; then printf '| %s | %s | %s | failed | | |\n' "$1" "${t:--}" "${o:--}"; return; fi
  awk -v l="$1" -v t="$t" -v o="$o" -v rt="$(rss "$2" "$3")" -v ro="$(rss "$2" "$4")" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.1f | %.1f |\n", l, t, o, t / o, rt / 1024, ro / 1024 }'
}
for c in "${configs[@]}"; do
  IFS=: read -r load crash cpus <<<"$c"
  dir="$FIX/bench-capture-$load-${crash,,}-${cpus}cpu"
  flag=(); [ "$load" = file ] && flag=(--file-load)
  scripts/make-kdump-fixture.sh --crashkernel "$crash" --nr-cpus "$cpus" "${flag[@]}" -o "$dir" >"$dir.log" 2>&1 \
    || { echo "$c: capture failed, see $dir.log"; continue; }
  echo
  echo "### kexec_$load, crashkernel=$crash, nr_cpus=$cpus ($(sed -n 's/^kernel: //p' "$dir/info.txt"), same boot)"
  echo
  echo "| case | makedumpfile (or cp) s | hvdump s | ratio | their peak RSS MiB | our peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|---:|"
  row "lzo -d 31 (-l)" "$dir" md-l31 hv-l31
  row "zlib -d 31 (-c)" "$dir" md-c31 hv-c31
  row "zstd -d 31 (-z; makedumpfile 1.7.2 has no zstd: vs its lzo)" "$dir" md-l31 hv-z31
  row "ELF -d 0 (vs cp /proc/vmcore)" "$dir" cp hv-E0
  row "ELF -d 0 (vs makedumpfile -E)" "$dir" md-E0 hv-E0
  row "save --no-release -d 31 (vs makedumpfile -l -d 31)" "$dir" md-l31 hv-save
  for k in hv-l31 hv-c31; do
    python3 ../shared/tools/kdumppfns.py --cmp "$dir/$k.kdump" "$dir/md-${k#hv-}.kdump" >/dev/null \
      && echo "- $k: same PFNs as makedumpfile" || echo "- $k: PFN sets DIFFER from makedumpfile's"
  done
  echo "- cat /proc/vmcore: $(sec "$dir" cat) s; hvdump --version: $(sec "$dir" hv-version) s (start-up)"
done
