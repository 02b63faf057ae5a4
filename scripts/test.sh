#!/usr/bin/env bash
# The whole test suite, as README.md states it: installs what the tests need (Debian packages, the
# oracles' downloads, the .NET restore), builds the real QEMU vmcore fixtures, runs every test, and
# ends with one line "N passed, N failed".
#
# Fixtures are built fresh, into a new empty directory, on every run: an assertion that depends on
# what one boot happened to have in memory then fails here before it fails for a user. Developers
# who want to reuse theirs while iterating set FIXTURES=DIR (built there once, kept).
# Downloads and the oracles made from them (the ppc64el makedumpfile root, kdump-tools, the ppc64el
# kernel .debs) stay cached in HVDUMP_CACHE (default ~/.cache/hvdump), like apt's own cache.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export HVDUMP_CACHE=${HVDUMP_CACHE:-$HOME/.cache/hvdump}
mkdir -p "$HVDUMP_CACHE"
scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
fresh=0
if [ -z "${FIXTURES:-}" ]; then
  FIXTURES=$(mktemp -d "${TMPDIR:-/var/tmp}/hvdump-fixtures.XXXXXX")
  fresh=1
  # ~10 GB of dumps: removed at the end unless asked to keep them for a look.
  [ "${HVDUMP_KEEP_FIXTURES:-0}" = 1 ] || trap 'rm -rf "$FIXTURES"' EXIT
  echo "fixtures: building fresh into $FIXTURES (set FIXTURES=DIR to reuse a directory)"
else
  echo "fixtures: reusing $FIXTURES (FIXTURES is set)"
fi
export FIXTURES
t0=$(date +%s)
# Disk: the disk here is shared and its free space varies (once a CI run died of "No space left on
# device" half-way through the fixtures). A fixture is checked for room before it is built, and a
# short disk is said in one line, not found later in a QEMU log.
free_mib() { df -Pm "$FIXTURES" | awk 'NR == 2 { print $4 }'; }
need_space() { # MIB NAME: what building NAME writes at its peak, before its zero pages are punched out
  local avail; avail=$(free_mib)
  [ "$avail" -ge "$1" ] && return 0
  echo "fixtures: only $avail MiB free on the disk of $FIXTURES; building $2 needs about $1 MiB"
  echo "0 passed, 1 failed"; exit 1
}
# Most of a guest's memory is pages it never touched, zeros in the dump. Punching them out of the
# files (fallocate --dig-holes) takes the whole set from about 25 GB to about 15 GB on disk; a
# reader sees the same bytes.
settle() { find "$FIXTURES/$1" -type f -size +16M -exec fallocate --dig-holes {} \; 2>/dev/null; true; }
echo "disk: $(free_mib) MiB free on the disk of $FIXTURES (a run needs about 22 GB at its peak; the fixtures keep about 15 GB)"
# Real vmcores: KASLR on (512M, 2G) and off, 4- and 5-level paging.
make_fixture() { # NAME MIB ARGS...
  local name=$1
  [ -f "$FIXTURES/$name/vmcore.fixed.elf" ] && return 0
  local need=$2; shift 2
  need_space "$need" "$name"
  echo "building fixture $name ..."
  "$root/../shared/realcore/make-vmcore.sh" -n "$name" "$@" >"$FIXTURES/$name.log" 2>&1 \
    || { tail -20 "$FIXTURES/$name.log"; echo "0 passed, 1 failed"; exit 1; }
  settle "$name"
}
make_fixture x86_64-512m 2500
make_fixture x86_64-256m-nokaslr 1500 -m 256M --nokaslr
make_fixture x86_64-256m-la57 1500 -m 256M --cpu max
make_fixture x86_64-2g 6500 -m 2G
# The newest kernel: Debian sid's cloud kernel (7.x), downloaded and unpacked, never installed.
if [ ! -f "$FIXTURES/x86_64-sid-512m/vmcore.fixed.elf" ]; then
  need_space 3000 x86_64-sid-512m
  echo "building fixture x86_64-sid-512m ..."
  "$root/scripts/make-sid-fixture.sh" >"$FIXTURES/x86_64-sid-512m.log" 2>&1 \
    || { tail -20 "$FIXTURES/x86_64-sid-512m.log"; echo "0 passed, 1 failed"; exit 1; }
  settle x86_64-sid-512m
fi
# POWER: real ppc64le pseries vmcores (radix and hash MMU), and Debian's ppc64el makedumpfile to run under qemu-user.
for mmu in "" --hash; do
  name=ppc64le-512m${mmu:+-${mmu#--}}
  [ -s "$FIXTURES/$name/vmcore.le.elf" ] || need_space 2000 "$name"
  echo "building fixture $name ..."
  "$root/scripts/make-ppc64-fixture.sh" $mmu >"$FIXTURES/ppc64le$mmu.log" 2>&1 \
    || { tail -20 "$FIXTURES/ppc64le$mmu.log"; echo "0 passed, 1 failed"; exit 1; }
  settle "$name"
done
"$root/scripts/make-ppc64el-root.sh" >"$FIXTURES/ppc64el-root.log" 2>&1 \
  || { tail -20 "$FIXTURES/ppc64el-root.log"; echo "0 passed, 1 failed"; exit 1; }
# arm64: Debian 12's arm64 cloud kernel under qemu-system-aarch64 (KASLR on and off), and Debian's
# arm64 makedumpfile under qemu-user run once per fixture, its outputs kept beside the dumps (Arm64Tests).
# The third: Debian 12's arm64-16k kernel (6.12; 16 KiB pages, 52-bit VA on FEAT_LPA2), with sid's makedumpfile
# 1.7.8, which refuses that layout: there drgn and libkdumpfile are the oracles.
for variant in "" --nokaslr --16k; do
  name=arm64-512m${variant:+-${variant#--}}
  suite=bookworm; [ "$variant" = --16k ] && suite=sid
  [ -s "$FIXTURES/$name/oracles.txt" ] || need_space 3500 "$name"
  echo "building fixture $name ..."
  { "$root/scripts/make-arm64-fixture.sh" $variant && "$root/scripts/arm64-oracles.sh" "$FIXTURES/$name" $suite; } >"$FIXTURES/$name.log" 2>&1 \
    || { tail -20 "$FIXTURES/$name.log"; echo "0 passed, 1 failed"; exit 1; }
  settle "$name"
done
# The throwaway Debian 12 system the .debs are installed into and removed from (tests/Packaging).
"$root/scripts/make-bookworm-root.sh" >"$FIXTURES/bookworm-root.log" 2>&1 \
  || { tail -20 "$FIXTURES/bookworm-root.log"; echo "0 passed, 1 failed"; exit 1; }
# Debian sid's crash 9.x and drgn 0.3, the oracles for the 7.x fixture (tests/EndToEnd/SidKernelTests.cs).
"$root/scripts/make-sid-root.sh" >"$FIXTURES/sid-root.log" 2>&1 \
  || { tail -20 "$FIXTURES/sid-root.log"; echo "0 passed, 1 failed"; exit 1; }
# Where hvdump really runs: a real kexec capture kernel (nr_cpus=1, crashkernel=192M) running the
# published NativeAOT hvdump and makedumpfile on its own /proc/vmcore, with kexec_load and kexec_file_load.
scripts/publish.sh >"$FIXTURES/publish.log" 2>&1 || { tail -20 "$FIXTURES/publish.log"; echo "0 passed, 1 failed"; exit 1; }
for load in load file; do
  name=kdump-$load-192m-1cpu
  [ -f "$FIXTURES/$name/results.txt" ] && continue
  # The guest fills a 6 GB sparse disk image that is then copied out: about twice what is kept.
  need_space 7000 "$name"
  echo "building fixture $name ..."
  flag=(); [ $load = file ] && flag=(--file-load)
  "$root/scripts/make-kdump-fixture.sh" --crashkernel 192M --nr-cpus 1 "${flag[@]}" >"$FIXTURES/$name.log" 2>&1 \
    || { tail -20 "$FIXTURES/$name.log"; echo "0 passed, 1 failed"; exit 1; }
  settle "$name"
done
# The distro's own kdump path: a Debian 12 image with our packages (dpkg -i), kdump-tools loading
# the capture kernel, sysrq-c, kdump-config savecore; once with hvdump-makedumpfile, once without.
for run in hvdump makedumpfile; do
  name=debian-kdump-$run
  [ -f "$FIXTURES/$name/timing.txt" ] && continue
  need_space 4000 "$name"
  echo "building fixture $name ..."
  flag=(); [ $run = makedumpfile ] && flag=(--without-dropin)
  # A capture that saved nothing is the tests' to report (DebianKdumpBootTests), not a reason to stop the suite.
  "$root/scripts/make-debian-kdump-image.sh" "${flag[@]}" "$FIXTURES/$name" >"$FIXTURES/$name.log" 2>&1 \
    || tail -5 "$FIXTURES/$name.log"
done
# POWER FADump (scripts/make-fadump-fixture.sh, tests/EndToEnd/FadumpTests.cs) is not built here yet:
# on one of four boots `hvdump dmesg` missed records of the first kernel's log (README, Limits).
echo "fixtures: ready in $(( $(date +%s) - t0 )) s$([ $fresh = 1 ] && echo ' (fresh)'), $(du -sm "$FIXTURES" | cut -f1) MiB on disk, $(free_mib) MiB free"
export HVDUMP_PPC64_ROOT="$HVDUMP_CACHE/ppc64el-root"
export HVDUMP_ARM64_FIXTURE="$FIXTURES"
export HVDUMP_FIXTURE="$FIXTURES/x86_64-512m"
export HVDUMP_E2E=1
dotnet restore HvDumpKit.sln >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
# The layout rules (.editorconfig) are part of the suite: a formatting difference counts as one failure.
format_failed=0
dotnet format HvDumpKit.sln --verify-no-changes --no-restore || { echo "dotnet format --verify-no-changes: differences (run dotnet format)"; format_failed=1; }
if awk 'length > 140 { print FILENAME ":" FNR ": line over 140 characters"; bad = 1 } END { exit !bad }' $(git ls-files 'src/*.cs'); then
  format_failed=1
fi
# Tests mirror src/: every type with behaviour has tests/<same path>/<Type>Tests.cs (issue 16).
scripts/check-test-mirror.sh || { echo "scripts/check-test-mirror.sh: types without their test class"; format_failed=1; }
log=$(mktemp)
dotnet test HvDumpKit.sln --no-restore 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(sed -n 's/.*Passed: *\([0-9]*\),.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/.*Failed: *\([0-9]*\), Passed:.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
skipped=$(sed -n 's/.*Skipped: *\([0-9]*\),.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
failed=$((failed + format_failed))
rm -f "$log"
echo "skipped: $skipped"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
