#!/usr/bin/env bash
# Benchmark (not a test): how fast `hvdump save` gives reserved memory back. Runs save on a real
# vmcore with a region map like the design's (boot memory copied high, the rest in place) and a
# plain file as the release file, then integrates reserved memory over time (GiB·s) from the
# status JSON's time-to-release curve, against copying everything first and releasing at the end.
# usage: bench/save-release.sh [FIXTURE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
fix=${1:-$HOME/.cache/hvdump-fixtures/x86_64-512m}
in=$fix/vmcore.elf
[ -f "$in" ] || { echo "no $in" >&2; exit 1; }
[ -x artifacts/publish/linux-x64/hvdump ] || scripts/publish.sh >/dev/null
hv=$(pwd)/artifacts/publish/linux-x64/hvdump
work=$(mktemp -d /var/tmp/hvsave.XXXXXX)
trap 'rm -rf "$work"' EXIT
mem=$($hv info "$in" --json | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(s['memsz'] for s in d['segments'] if s['type']=='PT_LOAD' and s['paddr'] < 1<<32 and s['memsz'] > 1<<20))")
boot=$((64 << 20))
printf 'CPU:0x%x-0x10000: HPTE:0x%x-0x1000: DUMP:0x%x-0x%x, 0x%x-0x%x\n' \
  $((0x100000000 + boot)) $((0x100000000 + boot + 0x10000)) 0x100000000 $boot $boot $((mem - boot)) > "$work/map"
for d in 0 31; do
  mkdir -p "$work/t$d"; : > "$work/release$d"
  $hv save --vmcore "$in" --region-map "$work/map" --release-file "$work/release$d" -d "$d" --compress lzo --checkpoint 4096 "$work/t$d" 2>/dev/null
  python3 - "$(ls "$work"/t$d/*/status.json)" "$d" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
curve = s["time_to_release"]; total = curve[-1][1]; end = curve[-1][0]
# reserved(t) = total - released(t), a step function over the curve
integral = sum((curve[i+1][0] - curve[i][0]) * (total - curve[i][1]) for i in range(len(curve) - 1))
baseline = total * end  # copy everything, then release everything at the end
g = 1 << 30
print(f"-d {sys.argv[2]:>2}: {total/g:.2f} GiB released over {end:.2f} s; reserved-memory integral {integral/g:.3f} GiB·s "
      f"vs {baseline/g:.3f} GiB·s copying first: ratio {integral/baseline if baseline else 0:.2f}")
PY
done
