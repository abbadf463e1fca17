"""Who holds a TCP port on this machine, for scripts/cluster.sh.

    python scripts/ports.py taken PORT...    # one line per port that cannot be bound on 127.0.0.1:
                                             #   "PORT PID COMMAND" (PID "?" when not visible)
    python scripts/ports.py owned PID PORT   # exit 0 when every process listening on PORT is PID
                                             # or one of its descendants (and there is one)

Read from /proc (Linux): the listening sockets of /proc/net/tcp{,6} and the processes whose
file descriptors hold them.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Dict, List, Optional, Set

PROC = Path("/proc")
LISTEN = "0A"


def listening_inodes(port: int) -> Set[str]:
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def listeners(port: int) -> Dict[int, str]:
    """Every process (that this user may see) holding a listening socket on ``port``: pid -> command."""
    wanted = {f"socket:[{inode}]" for inode in listening_inodes(port)}
    found: Dict[int, str] = {}
    if not wanted:
        return found
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    found[int(entry.name)] = command.strip()[:80] or (entry / "comm").read_text().strip()
                    break
        except OSError:
            continue
    return found


def parent(pid: int) -> Optional[int]:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def descends_from(pid: int, ancestor: int) -> bool:
    current: Optional[int] = pid
    while current and current > 1:
        if current == ancestor:
            return True
        current = parent(current)
    return current == ancestor


def can_bind(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is no owner
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def taken(ports: List[int]) -> List[str]:
    lines = []
    for port in ports:
        if can_bind(port):
            continue
        holders = listeners(port)
        if holders:
            lines.extend(f"{port} {pid} {command}" for pid, command in sorted(holders.items()))
        else:
            lines.append(f"{port} ? ?")
    return lines


def owned(pid: int, port: int) -> bool:
    holders = listeners(port)
    return bool(holders) and all(descends_from(holder, pid) for holder in holders)


def main(argv: List[str]) -> int:
    if len(argv) >= 2 and argv[0] == "taken":
        for line in taken([int(p) for p in argv[1:]]):
            print(line)
        return 0
    if len(argv) == 3 and argv[0] == "owned":
        pid, port = int(argv[1]), int(argv[2])
        if owned(pid, port):
            return 0
        holders = listeners(port)
        print(", ".join(f"pid {p} ({c})" for p, c in sorted(holders.items())) or "nothing visible", file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
