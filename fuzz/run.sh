#!/usr/bin/env bash
# Fuzzes hvdump's parsers with afl++ and SharpFuzz (Debian's afl++, SharpFuzz 2.3.0).
#
# usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#   targets: dump filter regionmap vmcoreinfo codecs regsave age (default: all), 600 s each by default.
# Each target runs under afl-fuzz for the given time, starting from fuzz/seeds (generated) plus the
# committed samples and the stored corpus tests/Robustness/corpus/TARGET. Findings land in
# artifacts/fuzz/out/TARGET/default/{crashes,hangs}; the script prints executions, paths, crashes
# and hangs per target and one line "N passed, N failed" (a target passes with no crash and no
# hang), exiting non-zero if any target failed. FUZZ_KEEP_QUEUE=DIR copies each target's queue
# there (how tests/Robustness/corpus was filled).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-600}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(dump filter regionmap vmcoreinfo codecs regsave age)
command -v afl-fuzz >/dev/null || { apt-get install -y -q --no-install-recommends afl++ >/dev/null 2>&1 || { echo "fuzz: needs afl++" >&2; exit 1; }; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
# Per run: another run may be fuzzing from its own copy at the same time.
bin=$root/artifacts/fuzz/bin-$$ seeds=$root/artifacts/fuzz/seeds-$$
trap 'rm -rf "$bin" "$seeds"' EXIT
rm -rf "$bin" && dotnet publish fuzz/HvDumpKit.Fuzz -c Release -o "$bin" -v q --nologo >/dev/null || { echo "fuzz: build failed" >&2; exit 1; }
# Seeds before instrumenting: instrumented code runs only under afl.
dotnet "$bin/hvdump-fuzz.dll" --make-seeds "$seeds"
for dll in HvDumpKit.Reader.dll HvDumpKit.Writers.dll; do sharpfuzz "$bin/$dll" >/dev/null || { echo "fuzz: sharpfuzz $dll failed" >&2; exit 1; }; done
mkdir -p "$seeds/dump" "$seeds/filter"
cp testdata/elf/synth-x86_64.vmcore testdata/kdump/synth-x86_64-zstd.kdump testdata/elf/synth-aarch64*.vmcore "$seeds/dump/"
cp testdata/elf/synth-x86_64.vmcore testdata/elf/synth-aarch64*.vmcore "$seeds/filter/"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
passed=0; failed=0
printf '%-11s %8s %10s %8s %8s %8s\n' target seconds execs paths crashes hangs
for t in "${targets[@]}"; do
  in=$root/artifacts/fuzz/in/$t; out=$root/artifacts/fuzz/out/$t
  rm -rf "$in" "$out"; mkdir -p "$in" "$(dirname "$out")"
  cp "$seeds/$t"/* "$in/" 2>/dev/null
  [ -d "tests/Robustness/corpus/$t" ] && cp "tests/Robustness/corpus/$t"/* "$in/" 2>/dev/null
  # Inputs over afl's 1 MB cap are dropped; -t: a .NET child needs a generous first-run timeout.
  timeout $((secs + 120)) afl-fuzz -i "$in" -o "$out" -V "$secs" -t 5000 -m none -- dotnet "$bin/hvdump-fuzz.dll" "$t" >"$root/artifacts/fuzz/$t.log" 2>&1
  stats=$out/default/fuzzer_stats
  execs=$(sed -n 's/^execs_done *: *//p' "$stats" 2>/dev/null); paths=$(sed -n 's/^corpus_count *: *//p' "$stats" 2>/dev/null)
  crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  printf '%-11s %8s %10s %8s %8s %8s\n' "$t" "$secs" "${execs:-?}" "${paths:-?}" "$crashes" "$hangs"
  if [ -z "$execs" ]; then echo "  afl-fuzz did not run: see artifacts/fuzz/$t.log" >&2; tail -5 "$root/artifacts/fuzz/$t.log" >&2; failed=$((failed+1)); continue; fi
  if [ -n "${FUZZ_KEEP_QUEUE:-}" ]; then mkdir -p "$FUZZ_KEEP_QUEUE/$t" && cp "$out/default/queue"/id:* "$FUZZ_KEEP_QUEUE/$t/" 2>/dev/null; fi
  if [ "$crashes" = 0 ] && [ "$hangs" = 0 ]; then passed=$((passed+1)); else failed=$((failed+1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
