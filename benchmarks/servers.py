"""Starts a bot's servers for a benchmark through scripts/server.sh (the one launcher), on
free loopback ports, and reads what they cost from /proc: start-to-ready, peak RSS and CPU
time of every process.

The same code serves this assistant (action server + Rasa, SQLite tracker store) and the
stock ``rasa init`` bot (Rasa only, its own default endpoints: in-memory tracker store).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from tests.support.stack import SERVER, free_port, server_env

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Bot:
    name: str
    model: Path  # a trained .tar.gz
    endpoints: Path
    credentials: Path
    actions: bool  # whether it needs the action server
    env: Dict[str, str] = field(default_factory=dict)  # extra settings, e.g. SANIC_WORKERS
    role_env: Dict[str, Dict[str, str]] = field(default_factory=dict)  # per server: "rasa", "actions"


def descendants(pid: int) -> List[int]:
    """``pid`` and every process below it (a Sanic worker or a forked helper counts too)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    queue.extend(int(child) for child in children.read().split())
        except OSError:
            continue
    return found


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rollup_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _maps(pid: int, needle: str) -> bool:
    try:
        with open(f"/proc/{pid}/maps") as maps:
            return any(needle in line for line in maps)
    except OSError:
        return False


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its descendants so far."""
    total = 0
    for each in descendants(pid):
        try:
            with open(f"/proc/{each}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / CLOCK_TICKS


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except Exception:
        return False


@dataclass
class Running:
    """One started bot: its processes by role ("rasa", "actions")."""

    bot: Bot
    workdir: Path
    rasa_port: int
    action_port: int
    processes: Dict[str, subprocess.Popen]
    ready_seconds: Dict[str, float]
    # CPU time spent getting ready: unlike the seconds, barely moved by other load.
    ready_cpu_seconds: Dict[str, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def peak_rss_mb(self) -> Dict[str, float]:
        """Peak resident memory (VmHWM) of each role, summed over its process tree."""
        return {
            role: sum(_status_kb(pid, "VmHWM") for pid in descendants(process.pid)) / 1024
            for role, process in self.processes.items()
        }

    def pss_mb(self) -> Dict[str, float]:
        """Proportional memory now (shared pages split among their users): unlike RSS, it
        adds up across the processes of one role, e.g. Sanic workers forked from one parent."""
        return {
            role: sum(_rollup_kb(pid, "Pss") for pid in descendants(process.pid)) / 1024
            for role, process in self.processes.items()
        }

    def loaded(self, library: str) -> Dict[str, bool]:
        """Whether each role's processes have mapped a shared object whose path names ``library``."""
        return {role: any(_maps(pid, library) for pid in descendants(p.pid)) for role, p in self.processes.items()}

    def cpu_seconds(self) -> Dict[str, float]:
        return {role: cpu_seconds(process.pid) for role, process in self.processes.items()}

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start(bot: Bot, workdir: Path, timeout: float = 300) -> Running:
    """Start the bot's servers at the same moment and wait until each answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    rasa_port, action_port = free_port(), free_port()
    env = server_env(
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook",
        RASA_API_TOKEN="bench-token",
        TRACKER_DB=str(workdir / f"{bot.name}-tracker.db"),
        MODEL_DIR=str(bot.model.parent),
        MODEL_NAME=bot.model.name.removesuffix(".tar.gz"),
        ENDPOINTS=str(bot.endpoints),
        CREDENTIALS=str(bot.credentials),
        # A benchmark sends far faster than a person: the channel guard's per-sender and
        # per-address rate limits (docs/security.md) would answer most of it with 429.
        RATE_LIMIT_PER_SENDER="100000/60",
        RATE_LIMIT_PER_ADDRESS="100000/60",
        **bot.env,
    )
    checks = {"rasa": f"http://127.0.0.1:{rasa_port}/"}
    if bot.actions:
        checks["actions"] = f"http://127.0.0.1:{action_port}/health"
    processes: Dict[str, subprocess.Popen] = {}
    started = time.perf_counter()
    for role in checks:
        log = (workdir / f"{bot.name}-{role}.log").open("w")
        role_env = {**env, **bot.role_env.get(role, {})}
        processes[role] = subprocess.Popen([str(SERVER), role], env=role_env, stdout=log, stderr=subprocess.STDOUT)
    running = Running(bot, workdir, rasa_port, action_port, processes, {})
    waiting = dict(checks)
    deadline = started + timeout
    try:
        while waiting:
            for role, url in list(waiting.items()):
                if processes[role].poll() is not None:
                    log_text = (workdir / f"{bot.name}-{role}.log").read_text()[-3000:]
                    raise RuntimeError(f"{bot.name} {role} server exited while starting:\n{log_text}")
                if _ready(url):
                    running.ready_seconds[role] = time.perf_counter() - started
                    running.ready_cpu_seconds[role] = cpu_seconds(processes[role].pid)
                    del waiting[role]
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{bot.name}: {sorted(waiting)} not ready after {timeout:.0f} s")
            time.sleep(0.05)
    except BaseException:
        running.stop()
        raise
    return running


def loadavg() -> List[float]:
    with open("/proc/loadavg") as load:
        return [float(value) for value in load.read().split()[:3]]


def machine() -> Dict[str, Optional[str]]:
    model = None
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_kb = _meminfo("MemTotal")
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "memory_gb": f"{memory_kb / 1024 / 1024:.1f}",
        "kernel": os.uname().release,
    }


def _meminfo(key: str) -> int:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0
