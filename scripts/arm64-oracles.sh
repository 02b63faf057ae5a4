#!/usr/bin/env bash
# arm64-oracles.sh DIR [sid] - what the readers hvdump is checked against say about an arm64 fixture
# (scripts/make-arm64-fixture.sh), saved next to its dumps, so that tests compare with files and
# never run a second architecture's tools themselves:
#   oracle-dN.kdump, oracle-dN.txt  Debian's arm64 makedumpfile 1.7.2 (scripts/make-arm64-root.sh,
#                                   under qemu-aarch64-static) -c -d N --message-level 31 on
#                                   vmcore.fixed.elf, N in 0 1 2 4 8 16 31 (0: which pages it finds at all, the page-equality reference): the dump and its report
#                                   (stdout and stderr; the page counts per excluded class)
#   dmesg.makedumpfile.txt          its --dump-dmesg (and dmesg.makedumpfile.log, its report)
#   pfns.json                       ../shared/tools/kdumppfns.py of vmcore.kdump and each oracle-dN.kdump
#   readers.txt                     python3-libkdumpfile (Debian's, /usr/bin/python3) on vmcore.fixed.elf
#                                   and vmcore.kdump, python3-drgn with the -dbg vmlinux on both and on
#                                   vmcore.kexec.elf
#   oracles.txt                     the commands run and their times
# With sid, the makedumpfile is sid's 1.7.8 (make-arm64-root.sh sid), for the 6.12 arm64-16k fixture.
# Idempotent: skips when oracles.txt exists.
set -euo pipefail
OUT=${1:?usage: arm64-oracles.sh FIXTURE-DIR [sid]}
SUITE=${2:-bookworm}
OUT=$(cd "$OUT" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=$(cd "$HERE/../../shared" 2>/dev/null && pwd || true)
# (not a $( [ … ] && … ) inside the assignment: under set -e its false test would end the script)
sfx=; [ "$SUITE" = sid ] && sfx=-sid
ROOT="${HVDUMP_CACHE:-$HOME/.cache/hvdump}/arm64$sfx-root"
[ -s "$OUT/oracles.txt" ] && { echo "$OUT/oracles.txt: present"; exit 0; }
[ -s "$OUT/vmcore.fixed.elf" ] || { echo "$OUT: no vmcore.fixed.elf (scripts/make-arm64-fixture.sh)" >&2; exit 1; }
"$HERE/make-arm64-root.sh" "$SUITE" >/dev/null
MDF=(qemu-aarch64-static -L "$ROOT" "$ROOT/usr/bin/makedumpfile")
rm -f "$OUT"/oracle-d*.kdump "$OUT"/oracle-d*.txt "$OUT/dmesg.makedumpfile.txt" "$OUT/oracles.txt.tmp"
run() { # run NAME-OF-REPORT COMMAND...: the report gets stdout and stderr; the time goes to oracles.txt
  local rep=$1 t s; shift
  t=$(date +%s.%N)
  "$@" >"$rep" 2>&1 && s=0 || s=$?
  printf '%6.1f s  exit %d  %s\n' "$(echo "$(date +%s.%N) - $t" | awk '{print $1 - $3}')" "$s" "$*" | sed "s|$OUT/||g" >>"$OUT/oracles.txt.tmp"
  return 0
}
cd "$OUT"
for n in 0 1 2 4 8 16 31; do
  run "oracle-d$n.txt" "${MDF[@]}" -c -d "$n" --message-level 31 vmcore.fixed.elf "oracle-d$n.kdump"
done
run dmesg.makedumpfile.log "${MDF[@]}" --dump-dmesg vmcore.fixed.elf dmesg.makedumpfile.txt
# kdumppfns.py reads the kdump header and the bitmaps on its own (no makedumpfile, no hvdump).
for f in vmcore.kdump oracle-d0.kdump oracle-d1.kdump oracle-d2.kdump oracle-d4.kdump oracle-d8.kdump oracle-d16.kdump oracle-d31.kdump; do
  [ -s "$f" ] || continue
  printf '{"file": "%s", "facts": %s}\n' "$f" "$(python3 "$SHARED/tools/kdumppfns.py" "$f" 2>&1 | tail -n1)"
done > pfns.json
# The host's libkdumpfile and drgn (Debian's python3 packages, so /usr/bin/python3, not a venv's).
comm=$(/usr/bin/python3 -c 'import drgn, sys; p = drgn.Program(); p.load_debug_info([sys.argv[1]])
print(drgn.offsetof(p.type("struct task_struct"), "comm"))' vmlinux 2>/dev/null || echo 0)
{
  echo "offsetof(struct task_struct, comm) = $comm (vmlinux DWARF, drgn)"
  for f in vmcore.fixed.elf vmcore.kdump; do
    echo "== libkdumpfile $f"
    /usr/bin/python3 "$SHARED/realcore/check-libkdumpfile.py" "$f" aarch64 2>&1 && echo "exit 0" || echo "exit $?"
    echo "== libkdumpfile $f: init_task"
    /usr/bin/python3 - "$f" "$comm" <<'PY' 2>&1 && echo "exit 0" || echo "exit $?"
# init_task's comm through kernel virtual address translation: its link-time address (System.map)
# moved by VMCOREINFO's KERNELOFFSET, and the offset of comm in task_struct (from the vmlinux DWARF).
import sys
from kdumpfile import kdumpfile as K, KDUMP_KVADDR
k = K(sys.argv[1]); a = k.attr
if a.get("arch.name") is None: a["arch.name"] = "aarch64"
a["addrxlat.ostype"] = "linux"
vi = a["linux.vmcoreinfo.lines"]
sym = next(int(l.split()[0], 16) for l in open("System.map") if l.split()[2:] == ["init_task"])
va = sym + int(vi.get("KERNELOFFSET", "0"), 16)
comm = bytes(k.read(KDUMP_KVADDR, va + int(sys.argv[2]), 16)).split(b"\0")[0]
print("init_task at 0x%x: comm %r" % (va, comm))
sys.exit(0 if comm == b"swapper/0" else 1)
PY
    echo "== drgn $f"
    timeout 600 drgn -q -c "$f" -s vmlinux "$SHARED/realcore/check-drgn.py" 2>&1 && echo "exit 0" || echo "exit $?"
  done
  echo "== drgn vmcore.kexec.elf"
  timeout 600 drgn -q -c vmcore.kexec.elf -s vmlinux "$SHARED/realcore/check-drgn.py" 2>&1 && echo "exit 0" || echo "exit $?"
} > readers.txt
mv oracles.txt.tmp oracles.txt
cat oracles.txt
