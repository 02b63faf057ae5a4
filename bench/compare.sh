#!/usr/bin/env bash
# Benchmark (not a test): converts the same real vmcore with hvdump and makedumpfile in one run
# and prints wall time (hyperfine mean), peak RSS (/usr/bin/time) and output size, with
# hvdump/makedumpfile ratios, plus `cat > /dev/null` as the read floor.
#
# usage: bench/compare.sh [FIXTURE_DIR] [RUNS]
#   FIXTURE_DIR defaults to ~/.cache/hvdump-fixtures/x86_64-512m (../shared/realcore/make-vmcore.sh);
#   the input is its vmcore.fixed.elf (makedumpfile 1.7.2 cannot read QEMU's original layout).
#   BENCH_ONLY="hv-lzo-d31 hv-lzo-d31-age" measures only the rows named; BENCH_SPARSE_GIB="" skips the sparse rows.
# Debian's makedumpfile has no snappy or zstd (it writes an uncompressed file and exits 0), so
# those codecs are shown for hvdump only.
set -euo pipefail
cd "$(dirname "$0")/.."
fix=${1:-$HOME/.cache/hvdump-fixtures/x86_64-512m}
runs=${2:-3}
in=$fix/vmcore.fixed.elf
[ -f "$in" ] || { echo "no $in; run ../shared/realcore/make-vmcore.sh first" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
# The capture path uses the NativeAOT binary (scripts/publish.sh); HVDUMP_BENCH_JIT=1 measures the JIT build.
if [ "${HVDUMP_BENCH_JIT:-0}" = 1 ]; then
  dotnet build src/Cli -c Release -v q -nologo >/dev/null
  hv=$(pwd)/src/Cli/bin/Release/net10.0/hvdump
else
  scripts/publish.sh >/dev/null
  hv=$(pwd)/artifacts/publish/linux-x64/hvdump
fi
work=$(mktemp -d /var/tmp/hvbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
results=$work/results.tsv
: > "$results"

# measure NAME COMMAND... : hyperfine mean seconds, peak RSS KiB, output bytes (of $work/NAME.out)
measure() {
  local name=$1; shift
  # BENCH_ONLY="NAME …": only those rows (e.g. the encryption pairs), for a quick look at one question.
  if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then return 0; fi
  local cmd="$*"
  # Each run starts with the previous output gone and nothing dirty left to write back, so no
  # command pays for another's writeback (dd and the ELF copy write the most).
  hyperfine -N --style none --warmup $((runs > 1 ? 1 : 0)) --runs "$runs" --prepare "sh -c 'rm -f $work/$name.out $work/.$name.out.*; sync'" \
    --export-json "$work/$name.json" "$cmd" >/dev/null 2>&1 || { echo "failed: $cmd" >&2; return 1; }
  rm -f "$work/$name.out"
  local rss
  /usr/bin/time -o "$work/$name.rss" -f '%M' sh -c "exec $cmd" >/dev/null 2>&1 || true
  rss=$(tail -n1 "$work/$name.rss")
  local size=0
  [ -f "$work/$name.out" ] && size=$(stat -c %s "$work/$name.out")
  local mean
  mean=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'])" "$work/$name.json")
  printf '%s\t%s\t%s\t%s\n' "$name" "$mean" "$rss" "$size" >> "$results"
  rm -f "$work/$name.out"
}

measure cat "sh -c 'cat $in > /dev/null'"
$hv convert "$in" "$work/keep-zlib.kdump" --compress zlib --force 2>/dev/null
for d in 0 31; do
  measure "md-c-d$d"  "makedumpfile -c -d $d $in $work/md-c-d$d.out"
  measure "md-l-d$d"  "makedumpfile -l -d $d $in $work/md-l-d$d.out"
  measure "md-E-d$d"  "makedumpfile -E -d $d $in $work/md-E-d$d.out"
done
for lvl in 1 2 3; do
  measure "hv-zlib$lvl-d0" "$hv convert $in $work/hv-zlib$lvl-d0.out --format kdump --compress zlib --compress-level $lvl --force"
done
measure hv-lzo-d0    "$hv convert $in $work/hv-lzo-d0.out --format kdump --compress lzo --force"
measure hv-snappy-d0 "$hv convert $in $work/hv-snappy-d0.out --format kdump --compress snappy --force"
measure hv-zstd-d0   "$hv convert $in $work/hv-zstd-d0.out --format kdump --compress zstd --force"
# dd right beside the ELF copy it is the floor for.
measure dd  "dd if=$in of=$work/dd.out bs=1M status=none"
measure hv-elf-d0    "$hv convert $in $work/hv-elf-d0.out --format elf --force"
measure hv-zlib-d1   "$hv convert $in $work/hv-zlib-d1.out --format kdump --compress zlib --dump-level 1 --force"
measure hv-zlib-d31  "$hv convert $in $work/hv-zlib-d31.out --format kdump --compress zlib --dump-level 31 --force"
measure hv-lzo-d31   "$hv convert $in $work/hv-lzo-d31.out --format kdump --compress lzo --dump-level 31 --force"
measure hv-elf-d31   "$hv convert $in $work/hv-elf-d31.out --format elf --dump-level 31 --force"
# Encryption at capture (age, X25519): the same conversions with --encrypt-to, against themselves without.
recipient=$($hv keygen -o "$work/key.txt" 2>&1 | sed -n 's/^Public key: //p')
measure hv-lzo-d31-age "$hv convert $in $work/hv-lzo-d31-age.out --format kdump --compress lzo --dump-level 31 --force --encrypt-to $recipient"
measure hv-elf-d0-age  "$hv convert $in $work/hv-elf-d0-age.out --format elf --force --encrypt-to $recipient"
measure hv-verify    "$hv verify $work/keep-zlib.kdump"
$hv manifest "$in" -o "$work/golden" >/dev/null 2>&1
measure hv-verify-golden "$hv verify --golden $work/golden.json $work/keep-zlib.kdump"
measure hv-startup   "$hv --help"

# Scaling: synthetic sparse dumps (bench/make-sparse.cs, the memory-bound test's builder) of
# BENCH_SPARSE_GIB sizes, -d 31 LZO, one run each: time should follow present pages, RSS stay flat.
for gib in ${BENCH_SPARSE_GIB-4 64}; do
  sp=$work/sparse$gib.elf
  dotnet run bench/make-sparse.cs -- "$sp" "$gib" >/dev/null 2>&1 || { echo "make-sparse failed" >&2; continue; }
  saved=$runs; runs=1
  measure "hv-l-d31-${gib}g" "$hv convert $sp $work/hv-l-d31-${gib}g.out --format kdump --compress lzo --dump-level 31 --force" || true
  measure "md-l-d31-${gib}g" "makedumpfile -l -d 31 $sp $work/md-l-d31-${gib}g.out" || echo "  (makedumpfile cannot read the synthetic sparse layout; hvdump row only)" >&2
  runs=$saved
  rm -f "$sp"
done

python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    n, t, rss, size = line.rstrip("\n").split("\t")
    rows[n] = (float(t), int(rss or 0), int(size or 0))
print(f"{'case':16} {'seconds':>8} {'peak RSS MiB':>12} {'output bytes':>14}")
for n, (t, rss, size) in rows.items():
    print(f"{n:16} {t:8.3f} {rss/1024:12.1f} {size:14,}")
print()
print("ratios hvdump/makedumpfile, and encrypted/plain for the -age rows (time: lower is faster; size: output bytes)")
pairs = [("hv-elf-d0", "dd"), ("hv-zlib1-d0", "md-c-d0"), ("hv-zlib2-d0", "md-c-d0"), ("hv-zlib3-d0", "md-c-d0"),
         ("hv-lzo-d0", "md-l-d0"), ("hv-elf-d0", "md-E-d0"),
         ("hv-verify", "hv-zlib2-d0"), ("hv-verify-golden", "hv-zlib2-d0"),
         ("hv-zlib-d31", "md-c-d31"), ("hv-lzo-d31", "md-l-d31"), ("hv-elf-d31", "md-E-d31"),
         ("hv-lzo-d31-age", "hv-lzo-d31"), ("hv-elf-d0-age", "hv-elf-d0")]
import re
for n in rows:
    m = re.match(r"hv-l-d31-(\d+)g$", n)
    if m and f"md-l-d31-{m.group(1)}g" in rows:
        pairs.append((n, f"md-l-d31-{m.group(1)}g"))
for a, b in pairs:
    if a in rows and b in rows:
        ta, ra, sa = rows[a]; tb, rb, sb = rows[b]
        line = f"{a:14} vs {b:9}: time {ta/tb:5.2f} (speed-up {tb/ta:4.1f}x)  size {sa/sb:6.4f}  RSS {ra/max(rb,1):5.1f}"
        if a.endswith("-age"):
            line += f" ({(ra - rb) / 1024:+.1f} MiB)"  # encryption's budget is absolute: ±4 MiB
        print(line)
PY
