#!/usr/bin/env python3
"""The kernel log of a vmcore as drgn's get_dmesg() formats it (no HvDumpKit).

  check_dmesg_drgn.py VMCORE VMLINUX

VMCORE must carry the kernel-image mapping drgn translates through (/proc/vmcore's layout, e.g. an arm64
fixture's vmcore.kexec.elf). On the 4 KiB arm64 fixtures the output is byte-equal to makedumpfile's
--dump-dmesg, which makes it the log's oracle where no makedumpfile reads the dump.
"""
import sys
import drgn
from drgn.helpers.linux.printk import get_dmesg

p = drgn.program_from_core_dump(sys.argv[1])
p.load_debug_info([sys.argv[2]])
sys.stdout.buffer.write(get_dmesg(p))
