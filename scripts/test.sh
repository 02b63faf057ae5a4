#!/usr/bin/env bash
# The whole test suite, as README.md states it: installs what the tests need (Debian packages,
# a real QEMU vmcore fixture cached in ~/.cache/hvdump-fixtures, the .NET restore), runs every
# test, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh || { echo "0 passed, 1 failed"; exit 1; }
export FIXTURES=${FIXTURES:-$HOME/.cache/hvdump-fixtures}
# Real vmcores: KASLR on (512M, 2G) and off, 4- and 5-level paging. Cached across runs.
make_fixture() {
  local name=$1; shift
  [ -f "$FIXTURES/$name/vmcore.fixed.elf" ] && return 0
  echo "building fixture $name ..."
  "$root/../shared/realcore/make-vmcore.sh" -n "$name" "$@" >"/tmp/hvdump-fixture-$name.log" 2>&1 \
    || { tail -20 "/tmp/hvdump-fixture-$name.log"; echo "0 passed, 1 failed"; exit 1; }
}
make_fixture x86_64-512m
make_fixture x86_64-256m-nokaslr -m 256M --nokaslr
make_fixture x86_64-256m-la57 -m 256M --cpu max
make_fixture x86_64-2g -m 2G
# POWER: real ppc64le pseries vmcores (radix and hash MMU), and Debian's ppc64el makedumpfile to run under qemu-user.
for mmu in "" --hash; do
  "$root/scripts/make-ppc64-fixture.sh" $mmu >/tmp/hvdump-fixture-ppc64le.log 2>&1 \
    || { tail -20 /tmp/hvdump-fixture-ppc64le.log; echo "0 passed, 1 failed"; exit 1; }
done
"$root/scripts/make-ppc64el-root.sh" >/tmp/hvdump-ppc64el-root.log 2>&1 \
  || { tail -20 /tmp/hvdump-ppc64el-root.log; echo "0 passed, 1 failed"; exit 1; }
export HVDUMP_PPC64_FIXTURE="$FIXTURES/ppc64le-512m" HVDUMP_PPC64_ROOT="$FIXTURES/ppc64el-root"
export HVDUMP_FIXTURE="$FIXTURES/x86_64-512m"
export HVDUMP_E2E=1
dotnet restore HvDumpKit.sln >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
log=$(mktemp)
dotnet test HvDumpKit.sln --no-restore 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(sed -n 's/.*Passed: *\([0-9]*\),.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/.*Failed: *\([0-9]*\), Passed:.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
skipped=$(sed -n 's/.*Skipped: *\([0-9]*\),.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
rm -f "$log"
echo "skipped: $skipped"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
