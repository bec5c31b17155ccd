#!/usr/bin/env python3
"""Which of a running binary's pages are resident, by ELF section and, in
.text, by Swift module: what idle RSS is made of.

    python3 tools/bench/resident_pages.py PID [BINARY]

BINARY defaults to the process's executable. Reads /proc/PID/maps and
/proc/PID/pagemap (root, or the process's owner), `readelf -SW` and `nm -n`.
A page counts once, under the section (and, in .text, the module of the
symbol) it starts in. The kernel maps 64 KB around each page a fault
touches (fault-around), so resident is not the same as used.
"""

import bisect
import collections
import os
import re
import struct
import subprocess
import sys

PAGE = 4096


def sections(binary):
    """(start, end, name) of each allocated section, by link-time address."""
    found = []
    for line in subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 6 and fields[0].startswith("[") and (fields[1].startswith(".") or fields[1].startswith("swift5")):
            address, size = int(fields[3], 16), int(fields[5], 16)
            if address:
                found.append((address, address + size, fields[1]))
    return sorted(found)


def text_symbols(binary):
    symbols = []
    for line in subprocess.run(["nm", "-n", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "tTwW":
            symbols.append((int(fields[0], 16), fields[2]))
    return symbols


def module(symbol):
    """The Swift module a mangled name starts with; C++ or C otherwise."""
    match = re.match(r"\$s(\d+)([A-Za-z_]\w*)", symbol)
    if match:
        return match.group(2)[: int(match.group(1))]
    if symbol.startswith("$s"):
        return "Swift (standard library)"
    return "C++" if symbol.startswith("_Z") else "C"


def main():
    pid = int(sys.argv[1])
    binary = sys.argv[2] if len(sys.argv) > 2 else os.readlink(f"/proc/{pid}/exe")
    mappings = [line.split() for line in open(f"/proc/{pid}/maps")]
    mappings = [m for m in mappings if len(m) > 5 and m[5] == binary]
    if not mappings:
        sys.exit(f"{binary} is not mapped in process {pid}")
    # The load bias: the first mapping starts at file offset 0 of a PIE binary.
    first_start = int(mappings[0][0].split("-")[0], 16)
    bias = first_start - int(mappings[0][2], 16)
    all_sections = sections(binary)
    starts = [s[0] for s in all_sections]
    symbols = text_symbols(binary)
    symbol_starts = [s[0] for s in symbols]
    by_section = collections.Counter()
    by_module = collections.Counter()
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for mapping in mappings:
            start, end = (int(x, 16) for x in mapping[0].split("-"))
            pagemap.seek(start // PAGE * 8)
            entries = pagemap.read((end - start) // PAGE * 8)
            for index in range(len(entries) // 8):
                (entry,) = struct.unpack_from("<Q", entries, index * 8)
                if not entry >> 63 & 1:
                    continue
                address = start + index * PAGE - bias
                at = bisect.bisect_right(starts, address) - 1
                name = all_sections[at][2] if at >= 0 and address < all_sections[at][1] else "(none)"
                by_section[name] += 1
                if name == ".text":
                    symbol = bisect.bisect_right(symbol_starts, address) - 1
                    by_module[module(symbols[symbol][1]) if symbol >= 0 else "(none)"] += 1
    total = sum(by_section.values())
    print(f"{binary}: {total * PAGE / 2**20:.2f} MB resident")
    for name, pages in by_section.most_common(20):
        print(f"  {pages * PAGE / 2**20:6.2f} MB  {name}")
    print(".text by module:")
    for name, pages in by_module.most_common(20):
        print(f"  {pages * PAGE / 2**20:6.2f} MB  {name}")


if __name__ == "__main__":
    main()
