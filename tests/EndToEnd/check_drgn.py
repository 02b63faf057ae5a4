#!/usr/bin/python3
"""Open a dump with drgn and the debug vmlinux; print the kernel release and task count."""
import sys, drgn
from drgn.helpers.linux.pid import for_each_task
prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])
print("release=" + prog['init_uts_ns'].name.release.string_().decode())
print("tasks=%d" % sum(1 for _ in for_each_task(prog)))
